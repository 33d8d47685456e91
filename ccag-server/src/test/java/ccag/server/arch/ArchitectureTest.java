package ccag.server.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Holds the "never imports" column of the architecture: the build, not review, keeps the rooms apart. */
class ArchitectureTest {
    private static final String JAX_RS = "jakarta.ws.rs..";
    private static final String SERVLET = "jakarta.servlet..";
    private static final String JDBI = "org.jdbi..";
    private static final String AWS = "software.amazon.awssdk..";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ccag.server");
    }

    static ArchRule translationIsPure() {
        return noClasses().that().resideInAPackage("ccag.server.proxy.translate..")
                .should().dependOnClassesThat().resideInAnyPackage(JAX_RS, SERVLET, JDBI, AWS, "java.sql..", "java.net.http..",
                        "ccag.server.persistence..", "ccag.server.upstream..", "org.eclipse.jetty..")
                .because("translation is pure functions over JSON trees: no HTTP, database, SDK or I/O");
    }

    @Test
    void translationImportsNoFrameworkOrIo() {
        translationIsPure().allowEmptyShould(true).check(classes);
    }

    @Test
    void ruleCatchesATranslatorThatImportsJaxRs() {
        JavaClasses violating = new ClassFileImporter().importClasses(
                ccag.server.proxy.translate.violation.TranslatorThatImportsJaxRs.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> translationIsPure().check(violating))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("jakarta.ws.rs.core.Response");
    }

    @Test
    void translationReadsNoClock() {
        noClasses().that().resideInAPackage("ccag.server.proxy.translate..")
                .should().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void onlyUpstreamAndSimulatorTouchTheAwsSdk() {
        noClasses().that().resideOutsideOfPackages("ccag.server.upstream..", "ccag.server.simulator..", "ccag.server")
                .should().dependOnClassesThat().resideInAPackage(AWS)
                .because("the upstream room is the only one that speaks to Bedrock through the SDK")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void simulatorStandsAlone() {
        noClasses().that().resideInAPackage("ccag.server.simulator..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "ccag.server.proxy..", "ccag.server.upstream..", "ccag.server.auth..", "ccag.server.admin..",
                        "ccag.server.persistence..", "ccag.server.limits..", "ccag.server.spend..")
                .because("the simulator keeps its own validation table; sharing the translator's would hide its bugs")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void upstreamKnowsNoHttpSurfaceOrDatabase() {
        noClasses().that().resideInAPackage("ccag.server.upstream..")
                .should().dependOnClassesThat().resideInAnyPackage(JAX_RS, SERVLET, JDBI, "ccag.server.persistence..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void proxyGoesThroughServicesNotDaos() {
        noClasses().that().resideInAPackage("ccag.server.proxy..")
                .should().dependOnClassesThat().resideInAnyPackage("ccag.server.persistence..", "ccag.server.admin..", JDBI)
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void adminGoesThroughServicesNotDaos() {
        noClasses().that().resideInAPackage("ccag.server.admin..")
                .should().dependOnClassesThat().resideInAnyPackage("ccag.server.persistence..", "ccag.server.proxy..", JDBI)
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void authKnowsNeitherAdminNorProxy() {
        noClasses().that().resideInAPackage("ccag.server.auth..")
                .should().dependOnClassesThat().resideInAnyPackage("ccag.server.admin..", "ccag.server.proxy..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void decisionRoomsKnowNoHttp() {
        noClasses().that().resideInAnyPackage("ccag.server.limits..", "ccag.server.spend..", "ccag.server.catalog..")
                .should().dependOnClassesThat().resideInAnyPackage(JAX_RS, SERVLET)
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void persistenceKnowsNoWireContractOrHttp() {
        noClasses().that().resideInAPackage("ccag.server.persistence..")
                .should().dependOnClassesThat().resideInAnyPackage("ccag.api..", JAX_RS, SERVLET)
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void errorsKnowNoServicesOrDatabase() {
        noClasses().that().resideInAPackage("ccag.server.errors..")
                .should().dependOnClassesThat().resideInAnyPackage("ccag.server.persistence..", "ccag.server.auth..",
                        "ccag.server.admin..", "ccag.server.proxy..", "ccag.server.limits..", "ccag.server.spend..", JDBI)
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void onlyTheCompositionRootReadsTheConfiguration() {
        noClasses().that().resideOutsideOfPackages("ccag.server", "ccag.server.config..", "ccag.server.devmode..")
                .should().dependOnClassesThat().haveFullyQualifiedName("ccag.server.config.CcagConfiguration")
                .allowEmptyShould(true)
                .check(classes);
    }
}
