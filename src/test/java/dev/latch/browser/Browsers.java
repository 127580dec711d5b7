package dev.latch.browser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;

/**
 * JUnit extension that hands tests {@link Browser}s: as many as a test asks for (two people, two
 * browsers). When a test fails, every open browser's screenshot and page source are saved under
 * {@code latch.test.screenshots} (target/screenshots); then, pass or fail, the browsers are quit
 * when the test's context closes.
 */
public class Browsers implements ParameterResolver, AfterTestExecutionCallback {

    private static final Logger LOG = Logger.getLogger(Browsers.class);
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Browsers.class);

    /** The browsers of one test, quit by JUnit when the test's extension context closes. */
    static final class Open implements ExtensionContext.Store.CloseableResource {
        final List<Browser> browsers = new ArrayList<>();

        @Override
        public void close() {
            browsers.forEach(Browser::close);
            browsers.clear();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Browser.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Browser browser = Browser.start();
        open(context).browsers.add(browser);
        return browser;
    }

    /** Runs right after the test method, while every browser is still open. */
    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        Path directory = Path.of(System.getProperty("latch.test.screenshots", "target/screenshots"));
        List<Browser> browsers = open(context).browsers;
        for (int i = 0; i < browsers.size(); i++) {
            String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName() + "-" + i;
            try {
                LOG.errorf("Browser %d was at %s; saved %s", i, browsers.get(i).currentUrl(), browsers.get(i).capture(directory, name));
            } catch (Exception e) {
                LOG.warnf("Could not capture browser %d: %s", i, e.getMessage());
            }
        }
    }

    private static Open open(ExtensionContext context) {
        return context.getStore(NS).getOrComputeIfAbsent("open", k -> new Open(), Open.class);
    }
}
