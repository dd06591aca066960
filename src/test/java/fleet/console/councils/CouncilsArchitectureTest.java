package fleet.console.councils;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The councils gateway runs headless and the same against a real cluster and the sandbox; the sandbox's
 * orchestrator stand-in shares only the gRPC contract with it, as the real orchestrator does.
 */
class CouncilsArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("fleet.console");
    }

    @Test
    void theGatewayKnowsNeitherTheSandboxNorTheUiNorTheApp() {
        noClasses().that().resideInAPackage("fleet.console.councils..")
                .should().dependOnClassesThat().resideInAnyPackage("fleet.console.sandbox..", "fleet.console.ui..", "fleet.console.app..",
                        "javafx..")
                .check(classes);
    }

    @Test
    void theStandInSharesOnlyTheContractWithTheGateway() {
        noClasses().that().resideInAPackage("fleet.console.sandbox..")
                .should().dependOnClassesThat().resideInAPackage("fleet.console.councils")
                .because("the stand-in must answer what the contract says, not what the console's gateway expects")
                .check(classes);
    }

    @Test
    void theContractIsPlainGrpc() {
        noClasses().that().resideInAPackage("fleet.console.councils.contract..")
                .should().dependOnClassesThat().resideInAnyPackage("fleet.console.cluster..", "fleet.console.profile..",
                        "io.fabric8..")
                .check(classes);
    }
}
