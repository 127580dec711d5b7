package dev.latch.access;

import static dev.latch.testing.Browserless.as;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.audit.AuditEvent;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.ApprovalStep;
import dev.latch.inventory.Entitlement;
import dev.latch.testing.KeyHolder;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;

/** Requests and signed decisions through the portal's HTTP surface, as the request pages send them. */
final class Approvals {

    private Approvals() {
    }

    static Response request(KeyHolder who, AccessLevel level, String duration, String reason) {
        return as(who.session()).contentType(ContentType.URLENC).accept(ContentType.JSON).formParam("level", level.id.toString())
                .formParam("duration", duration).formParam("reason", reason).post("/requests");
    }

    static UUID file(KeyHolder who, AccessLevel level, String duration) {
        return idOf(request(who, level, duration, "INC-1234 payments down"));
    }

    static UUID idOf(Response filed) {
        filed.then().statusCode(303);
        String location = filed.header("Location");
        return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    }

    static Response start(KeyHolder who, UUID id, String decision) {
        return as(who.session()).contentType(ContentType.JSON).accept(ContentType.JSON).body(Map.of("decision", decision))
                .post("/requests/" + id + "/decision/start");
    }

    static Response decide(KeyHolder who, UUID id, String decision) {
        return decide(who, id, decision, null);
    }

    /** A decision with the approver's comment (null: none), started and signed with their own key. */
    static Response decide(KeyHolder who, UUID id, String decision, String comment) {
        Response start = as(who.session()).contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(comment == null ? Map.of("decision", decision) : Map.of("decision", decision, "comment", comment))
                .post("/requests/" + id + "/decision/start");
        if (start.statusCode() != 200) {
            return start;
        }
        return finish(who, who, id, start);
    }

    /** Finishes {@code who}'s started decision with the key of {@code signer}. */
    static Response finish(KeyHolder who, KeyHolder signer, UUID id, Response start) {
        JsonNode started = start.as(JsonNode.class);
        return as(who.session()).contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":"
                        + signer.key().assertion(started.path("publicKey")) + "}")
                .post("/requests/" + id + "/decision/finish");
    }

    static Response verify(KeyHolder who, UUID decisionId) {
        return as(who.session()).post("/requests/decisions/" + decisionId + "/verify");
    }

    /** Adds approval steps to the policy of the group's entitlement to the level: {kind, group id, count}. */
    static void policy(UUID groupId, AccessLevel level, Object[]... steps) {
        QuarkusTransaction.requiringNew().run(() -> {
            Entitlement entitlement = Entitlement.<Entitlement>find("groupId = ?1 and accessLevelId = ?2", groupId, level.id).firstResult();
            int position = 1;
            for (Object[] step : steps) {
                ApprovalStep row = new ApprovalStep();
                row.id = UUID.randomUUID();
                row.entitlementId = entitlement.id;
                row.position = position++;
                row.approverKind = (String) step[0];
                row.approverGroupId = (UUID) step[1];
                row.requiredApprovals = (Integer) step[2];
                row.persist();
            }
        });
    }

    static String status(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> AccessRequest.<AccessRequest>findById(id).status);
    }

    static long grants(UUID requestId) {
        return QuarkusTransaction.requiringNew().call(() -> AccessGrant.count("requestId", requestId));
    }

    /** Audit rows of an action on a target that did not succeed (refusals). */
    static long refusals(String action, UUID target) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.count("action = ?1 and targetId = ?2 and outcome <> 'success'",
                action, target.toString()));
    }

    static long audited(String action, UUID target) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.count("action = ?1 and targetId = ?2", action, target.toString()));
    }

    static int sql(String statement, Object... parameters) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = AccessRequest.getEntityManager().createNativeQuery(statement);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            return query.executeUpdate();
        });
    }
}
