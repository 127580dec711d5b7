package dev.latch.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.identity.User;
import dev.latch.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Cookie;

/**
 * Every page that shows a form or an htmx action must also hand the browser the CSRF cookie that
 * matches its token, or a person who arrives with no Latch cookie (a bookmark, a link in an
 * email) gets a form that is refused. The pages are found from the portal's JAX-RS resources (every
 * {@code @GET} that produces HTML), not from a list kept by hand, and then by following the links
 * on them, so a new page is walked without anyone remembering to add it here.
 */
@QuarkusTest
@ExtendWith(Browsers.class)
class CsrfCookieOnEveryPageBrowserTest {

    private static final String CSRF = "latch-csrf";
    /** Enough for every page shape the portal has, with room to grow; a bound so the walk ends. */
    private static final int MAX_PAGES = 150;
    /** Pages of one shape (the same route with another id) that are worth a visit. */
    private static final int PER_SHAPE = 2;

    private static final String READ_PAGE = """
            const tokens = [];
            const headers = document.body && document.body.getAttribute('hx-headers');
            if (headers) { tokens.push(JSON.parse(headers)['X-CSRF-Token']); }
            document.querySelectorAll('input[name=_csrf]').forEach(i => tokens.push(i.value));
            const actions = document.querySelectorAll(
                'form[method=post i], [hx-post], [hx-put], [hx-patch], [hx-delete]').length;
            const links = Array.from(document.querySelectorAll('a[href]')).map(a => a.href);
            return {tokens: tokens, actions: actions, links: links};
            """;

    @Inject
    BeanManager beans;

    @Inject
    Fixtures fixtures;

    @Test
    void everyPageWithAFormSetsTheCookieForAFreshBrowser(Browser browser) {
        Walk walk = walk(browser, () -> browser.driver().manage().deleteAllCookies());
        assertTrue(walk.pagesThatPost.contains("/signin"), "the walk reached the sign-in page: " + walk.pagesThatPost);
        assertEquals(List.of(), walk.failures);
    }

    @Test
    void everyPageWithAFormSetsTheCookieForASignedInAdministratorWithoutOne(Browser browser) {
        User admin = fixtures.user("walker", true);
        browser.open("/static/css/latch.css");
        browser.driver().manage().addCookie(new Cookie("latch-session", fixtures.session(admin), "/"));
        Walk walk = walk(browser, () -> browser.driver().manage().deleteCookieNamed(CSRF));
        for (String page : List.of("/", "/profile", "/admin/users", "/admin/access", "/admin/estate", "/kube", "/requests")) {
            assertTrue(walk.pagesThatPost.contains(page), page + " was walked and can post: " + walk.pagesThatPost);
        }
        assertTrue(walk.pagesThatPost.stream().anyMatch(p -> p.startsWith("/admin/users/")),
                "a person's admin page was reached through a link: " + walk.pagesThatPost);
        assertEquals(List.of(), walk.failures);
    }

    /** What a walk found: the pages that can post (a form, an htmx action, a token for scripts), and every page that broke the rule. */
    record Walk(Set<String> pagesThatPost, List<String> failures) {
    }

    private Walk walk(Browser browser, Runnable forgetCookies) {
        Deque<String> queue = new ArrayDeque<>(htmlRoutes());
        Set<String> seen = new LinkedHashSet<>(queue);
        Map<String, Integer> shapes = new HashMap<>();
        Set<String> thatPost = new LinkedHashSet<>();
        List<String> failures = new ArrayList<>();
        int visited = 0;
        while (!queue.isEmpty() && visited++ < MAX_PAGES) {
            String path = queue.poll();
            forgetCookies.run();
            browser.open(path);
            @SuppressWarnings("unchecked")
            Map<String, Object> page = (Map<String, Object>) browser.script(READ_PAGE);
            @SuppressWarnings("unchecked")
            List<String> tokens = (List<String>) page.get("tokens");
            long actions = ((Number) page.get("actions")).longValue();
            String landedOn = browser.currentUrl().substring(Browser.BASE.length());
            if (actions > 0 || !tokens.isEmpty()) {
                // the page can post: a form, an htmx action, or a script (WebAuthn) that sends the token
                thatPost.add(landedOn.split("\\?")[0]);
                Cookie cookie = browser.driver().manage().getCookieNamed(CSRF);
                if (cookie == null) {
                    failures.add(path + " (landed on " + landedOn + "): a form or htmx action but no CSRF cookie");
                } else if (tokens.stream().anyMatch(t -> !cookie.getValue().equals(t))) {
                    failures.add(path + " (landed on " + landedOn + "): the page's token differs from the cookie");
                }
            }
            @SuppressWarnings("unchecked")
            List<String> links = (List<String>) page.get("links");
            for (String link : links) {
                String next = portalPage(link);
                if (next != null && seen.add(next) && shapes.merge(shape(next), 1, Integer::sum) <= PER_SHAPE) {
                    queue.add(next);
                }
            }
        }
        return new Walk(thatPost, failures);
    }

    /** The paths of every {@code @GET} resource method that answers HTML, path parameters filled in. */
    private List<String> htmlRoutes() {
        List<String> routes = new ArrayList<>();
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> resource = bean.getBeanClass();
            Path root = resource.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : resource.getDeclaredMethods()) {
                Path sub = method.getAnnotation(Path.class);
                if (method.isAnnotationPresent(GET.class) && producesHtml(method, resource)) {
                    routes.add(join(root.value(), sub == null ? "" : sub.value()));
                }
            }
        }
        assertTrue(routes.size() > 20, "the resource model was read: " + routes);
        return routes.stream().distinct().sorted().toList();
    }

    private static boolean producesHtml(Method method, Class<?> resource) {
        Produces produces = method.isAnnotationPresent(Produces.class)
                ? method.getAnnotation(Produces.class) : resource.getAnnotation(Produces.class);
        return produces != null && Arrays.stream(produces.value()).anyMatch(v -> v.startsWith(MediaType.TEXT_HTML));
    }

    /** Joins JAX-RS paths and fills each {@code {param}} with an id that names nothing. */
    private static String join(String root, String sub) {
        String path = ("/" + root + "/" + sub).replaceAll("/+", "/");
        path = path.replaceAll("\\{[^}]*}", UUID.randomUUID().toString());
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** A link to a portal page worth walking, as a path, or null (other sites, downloads, operator endpoints). */
    private static String portalPage(String link) {
        if (!link.startsWith(Browser.BASE + "/")) {
            return null;
        }
        String path = link.substring(Browser.BASE.length()).split("#")[0];
        boolean notAPage = path.startsWith("/q/") || path.startsWith("/api/") || path.startsWith("/static/")
                || path.startsWith("/webjars/") || path.startsWith("/download/") || path.endsWith(".sh");
        return notAPage || path.isEmpty() ? null : path;
    }

    /** The route a path belongs to: ids replaced, so one person's page stands for everyone's. */
    private static String shape(String path) {
        return path.split("\\?")[0].replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{id}");
    }
}
