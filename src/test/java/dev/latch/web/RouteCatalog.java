package dev.latch.web;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every route of the portal with what it takes: first from the OpenAPI document, then any JAX-RS
 * resource method the document leaves out (found from the CDI beans with {@code @Path}, as
 * {@code CsrfCookieOnEveryPageBrowserTest} finds pages). Nobody lists routes by hand, so a new
 * route is swept the day it is added.
 */
final class RouteCatalog {

    enum Body { NONE, JSON, FORM, OTHER }

    /** One method on one path template; {@code fields} are the body's declared fields and their types. */
    record Operation(String method, String template, List<String> pathParams, Body body, Map<String, String> fields, String source) {
        String fill(String value) {
            String path = template;
            for (String param : pathParams) {
                path = path.replace("{" + param + "}", value);
            }
            return path;
        }
    }

    private static final Pattern PARAM = Pattern.compile("\\{([^}:]+)(?::[^}]*)?}");
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private RouteCatalog() {
    }

    static List<Operation> from(JsonNode openApi, BeanManager beans) {
        Map<String, Operation> all = new LinkedHashMap<>();
        JsonNode schemas = openApi.path("components").path("schemas");
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                Body body = Body.NONE;
                Map<String, String> fields = new LinkedHashMap<>();
                JsonNode content = op.getValue().path("requestBody").path("content");
                if (content.has(MediaType.APPLICATION_JSON)) {
                    body = Body.JSON;
                    fields = fields(content.path(MediaType.APPLICATION_JSON).path("schema"), schemas);
                } else if (content.has(MediaType.APPLICATION_FORM_URLENCODED)) {
                    body = Body.FORM;
                    fields = fields(content.path(MediaType.APPLICATION_FORM_URLENCODED).path("schema"), schemas);
                } else if (content.size() > 0) {
                    body = Body.OTHER;
                }
                add(all, new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), params(path.getKey()), body, fields, "openapi"));
            }
        }
        for (Operation resource : resourceMethods(beans)) {
            all.putIfAbsent(key(resource), resource);
        }
        return List.copyOf(all.values());
    }

    private static void add(Map<String, Operation> all, Operation operation) {
        all.put(key(operation), operation);
    }

    /** The route's identity: method and template with parameter names ignored. */
    private static String key(Operation operation) {
        return operation.method() + " " + PARAM.matcher(operation.template()).replaceAll("{}");
    }

    private static List<String> params(String template) {
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The declared fields of a body schema, name to type ("string", "integer", "boolean", "array", "object", "uuid", …). */
    private static Map<String, String> fields(JsonNode schema, JsonNode schemas) {
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode resolved = resolve(schema, schemas);
        for (Iterator<Map.Entry<String, JsonNode>> props = resolved.path("properties").fields(); props.hasNext(); ) {
            Map.Entry<String, JsonNode> prop = props.next();
            fields.put(prop.getKey(), type(resolve(prop.getValue(), schemas)));
        }
        return fields;
    }

    private static JsonNode resolve(JsonNode schema, JsonNode schemas) {
        String ref = schema.path("$ref").asText("");
        if (ref.startsWith("#/components/schemas/")) {
            return schemas.path(ref.substring("#/components/schemas/".length()));
        }
        if (schema.has("allOf") && schema.path("allOf").size() == 1) {
            return resolve(schema.path("allOf").get(0), schemas);
        }
        return schema;
    }

    private static String type(JsonNode schema) {
        if ("uuid".equals(schema.path("format").asText())) {
            return "uuid";
        }
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
        }
        if (type.isTextual()) {
            return type.asText();
        }
        return schema.has("properties") ? "object" : schema.has("enum") ? "string" : "object";
    }

    // --- JAX-RS resource methods the document may leave out ---

    private static final Map<Class<? extends Annotation>, String> HTTP = Map.of(GET.class, "GET", POST.class, "POST", PUT.class, "PUT",
            PATCH.class, "PATCH", DELETE.class, "DELETE");

    private static List<Operation> resourceMethods(BeanManager beans) {
        List<Operation> found = new ArrayList<>();
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> resource = bean.getBeanClass();
            Path root = resource.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : resource.getDeclaredMethods()) {
                for (Map.Entry<Class<? extends Annotation>, String> http : HTTP.entrySet()) {
                    if (!method.isAnnotationPresent(http.getKey())) {
                        continue;
                    }
                    Path sub = method.getAnnotation(Path.class);
                    String template = join(root.value(), sub == null ? "" : sub.value());
                    Map<String, String> fields = new LinkedHashMap<>();
                    Body body = body(method, resource, fields);
                    found.add(new Operation(http.getValue(), template, params(template), body, fields, resource.getSimpleName()));
                }
            }
        }
        return found;
    }

    private static Body body(Method method, Class<?> resource, Map<String, String> fields) {
        for (Parameter parameter : method.getParameters()) {
            FormParam form = parameter.getAnnotation(FormParam.class);
            org.jboss.resteasy.reactive.RestForm restForm = parameter.getAnnotation(org.jboss.resteasy.reactive.RestForm.class);
            if (form != null) {
                fields.put(form.value(), "string");
            } else if (restForm != null) {
                fields.put(restForm.value().isEmpty() ? parameter.getName() : restForm.value(), "string");
            }
        }
        if (!fields.isEmpty()) {
            return Body.FORM;
        }
        Consumes consumes = method.isAnnotationPresent(Consumes.class) ? method.getAnnotation(Consumes.class) : resource.getAnnotation(Consumes.class);
        if (consumes != null && Arrays.stream(consumes.value()).anyMatch(v -> v.contains("json"))) {
            return Body.JSON;
        }
        if (consumes != null && Arrays.stream(consumes.value()).anyMatch(v -> v.contains("form"))) {
            return Body.FORM;
        }
        return Body.NONE;
    }

    private static String join(String root, String sub) {
        String path = ("/" + root + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
