package ccag.server.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IssuerPolicyTest {
    private final IssuerPolicy strict = new IssuerPolicy(false);
    private final IssuerPolicy loopbackAllowed = new IssuerPolicy(true);

    @Test
    void httpsIssuersAreAlwaysAccepted() {
        assertThat(strict.checkIssuer("https://dev-12345.okta.com").getHost()).isEqualTo("dev-12345.okta.com");
        assertThat(strict.checkIssuer("https://login.microsoftonline.com/tenant/v2.0")).isNotNull();
    }

    @Test
    void httpIssuerOnLoopbackIsRefusedUnlessAllowed() {
        assertThatThrownBy(() -> strict.checkIssuer("http://127.0.0.1:8080/corp"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OIDC_ALLOW_HTTP_LOOPBACK");
        assertThat(loopbackAllowed.checkIssuer("http://127.0.0.1:8080/corp")).isNotNull();
        assertThat(loopbackAllowed.checkIssuer("http://localhost:8080/corp")).isNotNull();
        assertThat(loopbackAllowed.checkIssuer("http://[::1]:8080/corp")).isNotNull();
        assertThat(loopbackAllowed.checkIssuer("http://127.8.9.10/corp")).isNotNull();
    }

    @Test
    void httpIssuerOffLoopbackIsRefusedEvenWhenLoopbackIsAllowed() {
        for (String url : new String[] {"http://idp.example.com", "http://127.0.0.1.evil.example/corp",
                "http://localhost.evil.example", "http://10.0.0.1/corp", "http://0.0.0.0/corp"}) {
            assertThatThrownBy(() -> loopbackAllowed.checkIssuer(url)).as(url)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://");
        }
    }

    @Test
    void malformedOrOddIssuersAreRefused() {
        for (String url : new String[] {"", "idp.example.com", "ftp://idp.example.com", "https://user:pw@idp.example.com",
                "https://idp.example.com/?x=1", "https://idp.example.com/#f", "https:///path"}) {
            assertThatThrownBy(() -> loopbackAllowed.checkIssuer(url)).as(url).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
