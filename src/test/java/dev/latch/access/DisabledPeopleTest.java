package dev.latch.access;

import static dev.latch.access.Approvals.decide;
import static dev.latch.access.Approvals.file;
import static dev.latch.access.Approvals.grants;
import static dev.latch.access.Approvals.status;
import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.latch.identity.Group;
import dev.latch.identity.Invitations;
import dev.latch.identity.User;
import dev.latch.identity.Users;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.testing.Fixtures;
import dev.latch.testing.KeyHolder;
import dev.latch.web.ProblemException;
import dev.latch.webauthn.WebAuthnCredential;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Disabling a person ends their open requests and voids the votes they cast on requests still open. */
@QuarkusTest
class DisabledPeopleTest {

    @Inject
    Invitations invitations;

    @Inject
    Fixtures fixtures;

    @Inject
    Users users;

    @Inject
    AccessRequests requests;

    private Group engineers;
    private Group sre;
    private AccessLevel admin;
    private KeyHolder engineer;
    private KeyHolder manager;
    private KeyHolder peer;
    private User administrator;

    @BeforeEach
    void estate() {
        String s = UUID.randomUUID().toString().substring(0, 6);
        engineers = InventoryFixtures.group("eng-" + s);
        sre = InventoryFixtures.group("sre-" + s);
        Cluster prod = InventoryFixtures.cluster("prod", "prod-off-" + s);
        admin = InventoryFixtures.level(prod, "admin");
        InventoryFixtures.entitle(engineers, admin, "requestable");
        engineer = KeyHolder.enrol(invitations, "eng");
        manager = KeyHolder.enrol(invitations, "mgr");
        peer = KeyHolder.enrol(invitations, "peer");
        InventoryFixtures.join(engineer.user(), engineers);
        InventoryFixtures.join(peer.user(), sre);
        QuarkusTransaction.requiringNew().run(() -> User.<User>findById(engineer.user().id).managerId = manager.user().id);
        administrator = fixtures.user("adm", true);
    }

    @Test
    void aVoteOfSomeoneDisabledSinceNoLongerCounts() {
        Approvals.policy(engineers.id, admin, new Object[] {"group", sre.id, 1}, new Object[] {"manager", null, 1});
        UUID id = file(engineer, admin, "1h");
        decide(peer, id, "approve").then().statusCode(200);
        assertEquals(AccessRequest.PENDING, status(id));

        users.disable(peer.user().id, administrator, "left the company");
        assertEquals(1, Approvals.audited("request.vote_voided", id));
        as(manager.session()).get("/requests/" + id).then().statusCode(200)
                .body(containsString("a member of " + sre.name + ": 0 of 1"))
                .body(containsString("void: account disabled"));

        decide(manager, id, "approve").then().statusCode(200);
        assertEquals(AccessRequest.PENDING, status(id), "the disabled peer's approval no longer fills the group step");
        assertEquals(0, grants(id));

        KeyHolder peer2 = KeyHolder.enrol(invitations, "peer2");
        InventoryFixtures.join(peer2.user(), sre);
        decide(peer2, id, "approve").then().statusCode(200);
        assertEquals(AccessRequest.APPROVED, status(id));
    }

    @Test
    void aDisabledPersonsOpenRequestsEndWithAReasonAndCannotBeApproved() {
        UUID id = file(engineer, admin, "1h");
        users.disable(engineer.user().id, administrator, "left the company");

        assertEquals(AccessRequest.CANCELLED, status(id));
        assertEquals(1, Approvals.audited("request.ended", id));
        as(manager.session()).get("/requests/" + id).then().statusCode(200)
                .body(containsString("Ended: account disabled (left the company)"));
        decide(manager, id, "approve").then().statusCode(409);
        assertEquals(0, grants(id));
    }

    @Test
    void aDecisionFinishedAfterTheApproverWasDisabledIsRefusedAndAudited() {
        UUID id = file(engineer, admin, "1h");
        User approverAsSignedIn = manager.user(); // what the session filter resolved before the disabling
        AccessRequests.Challenge challenge = requests.challenge(id, approverAsSignedIn, "approve");
        UUID key = QuarkusTransaction.requiringNew().call(() -> WebAuthnCredential.<WebAuthnCredential>find("userId",
                approverAsSignedIn.id).firstResult().id);
        users.disable(approverAsSignedIn.id, administrator, "left the company");

        ProblemException refused = assertThrows(ProblemException.class, () -> requests.decide(id, approverAsSignedIn, "approve", null,
                new AccessRequests.Evidence(challenge.nonce(), challenge.canonical(), "{}", "{}", key)));
        assertEquals(403, refused.status());
        assertEquals(AccessRequest.PENDING, status(id));
        assertEquals(0, grants(id));
        assertEquals(1, Approvals.refusals("request.decision", id));
    }
}
