package dev.latch.identity;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The action needs a fresh key assertion (within {@code latch.session.step-up-freshness}).
 * Without one the request is answered 428 with problem type {@code step-up-required} and a detail
 * that names the action ("Touch your security key to remove a security key."); the page script
 * shows it, asks for a touch and repeats the request. Implies {@link SignedIn}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface StepUp {

    /** The action, completing "Touch your security key to …": e.g. "remove a security key". */
    String value() default "confirm this action";
}
