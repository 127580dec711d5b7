package dev.latch.identity;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import java.util.Optional;

/** Who is signed in on this request, if anyone; {@code {inject:me}} in templates. */
@RequestScoped
@Named("me")
public class CurrentSession {

    private Sessions.Live live;
    private boolean steppedUp;

    void set(Sessions.Live live, boolean steppedUp) {
        this.live = live;
        this.steppedUp = steppedUp;
    }

    public boolean isSignedIn() {
        return live != null;
    }

    public Optional<Sessions.Live> live() {
        return Optional.ofNullable(live);
    }

    /** The signed-in user; only call behind {@link SignedIn}. */
    public User user() {
        if (live == null) {
            throw new IllegalStateException("no session on this request");
        }
        return live.user();
    }

    public UserSession session() {
        if (live == null) {
            throw new IllegalStateException("no session on this request");
        }
        return live.session();
    }

    public boolean isAdmin() {
        return live != null && live.user().admin;
    }

    public boolean isSteppedUp() {
        return steppedUp;
    }

    /**
     * The one step-up guard: {@link StepUp} on a resource calls it, and so does an action that is
     * sensitive only sometimes (inviting an administrator). Without a fresh touch: 428
     * {@code step-up-required}, "Touch your security key to {action}."
     */
    public void requireStepUp(String action) {
        if (!steppedUp) {
            throw dev.latch.web.ProblemException.stepUpRequired("Touch your security key to " + action + ".");
        }
    }

    public String getDisplayName() {
        return live == null ? null : live.user().displayName;
    }

    public String getUsername() {
        return live == null ? null : live.user().username;
    }
}
