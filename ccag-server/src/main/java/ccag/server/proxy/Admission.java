package ccag.server.proxy;

import ccag.server.auth.principal.Caller;

/** Decides whether a caller may send one more request now (rate limits, budgets); throws to refuse. */
@FunctionalInterface
public interface Admission {
    Admission ALWAYS = caller -> {
    };

    void admit(Caller caller);
}
