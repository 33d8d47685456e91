package ccag.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A user's role. {@code member} uses the gateway and manages its own keys; {@code admin} manages everything. */
public enum Role {
    @JsonProperty("member") MEMBER,
    @JsonProperty("admin") ADMIN;

    /** The wire name, as it appears in JSON. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the allowed values. */
    public static Role fromWire(String value) {
        for (Role r : values()) {
            if (r.wireName().equals(value)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be one of: member, admin");
    }
}
