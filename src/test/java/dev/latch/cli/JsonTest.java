package dev.latch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesWhatThePortalSends() {
        Map<String, Object> body = Json.parseObject("{\"access_token\":\"a.b.c\",\"expires_in\":600,\"ok\":true,"
                + "\"none\":null,\"list\":[1,\"two\",{\"x\":1.5}],\"esc\":\"q\\\"\\n\\u00e9\"}");
        assertEquals("a.b.c", body.get("access_token"));
        assertEquals(600L, body.get("expires_in"));
        assertEquals(true, body.get("ok"));
        assertEquals(List.of(1L, "two", Map.of("x", 1.5)), body.get("list"));
        assertEquals("q\"\n\u00e9", body.get("esc"));
    }

    @Test
    void refusesWhatIsNotJson() {
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("<html>"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("{\"a\":1} trailing"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("{\"a\":"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
    }

    @Test
    void writesFlatAndNestedObjectsItCanReadBack() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("s", "a\"b\\c");
        object.put("n", 3L);
        object.put("nested", Map.of("k", "v"));
        assertEquals(object, Json.parseObject(Json.write(object)));
    }
}
