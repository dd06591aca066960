package fleet.console;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Dependencies point one way (ui -> cluster/sandbox -> profile), only ui and app know JavaFX, and tests leave no folders behind. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("fleet.console");
    }

    @Test
    void onlyTheUiAndTheAppUseJavaFx() {
        noClasses().that().resideOutsideOfPackages("fleet.console.ui..", "fleet.console.app..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..")
                .because("gateways, the sandbox and the profile run headless (CLI, tests, runbooks)")
                .check(classes);
    }

    @Test
    void theProfileDependsOnNothingElseOfOurs() {
        noClasses().that().resideInAPackage("fleet.console.profile..")
                .should().dependOnClassesThat().resideInAnyPackage("fleet.console.cluster..", "fleet.console.sandbox..",
                        "fleet.console.ui..", "fleet.console.app..")
                .check(classes);
    }

    @Test
    void clusterGatewayKnowsNeitherTheSandboxNorTheUi() {
        noClasses().that().resideInAPackage("fleet.console.cluster..")
                .should().dependOnClassesThat().resideInAnyPackage("fleet.console.sandbox..", "fleet.console.ui..", "fleet.console.app..")
                .because("a real cluster and the sandbox go through the same gateway")
                .check(classes);
    }

    @Test
    void sandboxKnowsNothingOfTheConsoleAroundIt() {
        noClasses().that().resideInAPackage("fleet.console.sandbox..")
                .should().dependOnClassesThat().resideInAnyPackage("fleet.console.ui..", "fleet.console.app..", "fleet.console.cluster..")
                .check(classes);
    }

    @Test
    void uiDoesNotReachIntoTheCompositionRoot() {
        noClasses().that().resideInAPackage("fleet.console.ui..")
                .should().dependOnClassesThat().resideInAPackage("fleet.console.app..")
                .check(classes);
    }

    @Test
    void imageBuildsStandApartFromTheScreensTheSandboxAndTheGateway() {
        noClasses().that().resideInAPackage("fleet.console.image..")
                .should().dependOnClassesThat().resideInAnyPackage("fleet.console.ui..", "fleet.console.app..", "fleet.console.sandbox..",
                        "fleet.console.cluster..", "fleet.console.runbook..")
                .because("a build is a build: the runbooks and the screens call it, not the other way round")
                .check(classes);
    }

    @Test
    void theCouncilsGatewayStandsBelowTheRunbooksAndTheScreens() {
        noClasses().that().resideInAPackage("fleet.console.councils..")
                .should().dependOnClassesThat().resideInAnyPackage("fleet.console.runbook..", "fleet.console.ui..", "fleet.console.app..",
                        "fleet.console.sandbox..", "fleet.console.messaging..", "fleet.console.image..")
                .because("the runbooks (councils-init, councils-delete), the Councils area and the CLI call the gateway, not the other"
                        + " way round")
                .check(classes);
    }

    @Test
    void runbooksRunWithoutAWindow() {
        noClasses().that().resideInAPackage("fleet.console.runbook..")
                .should().dependOnClassesThat().resideInAnyPackage("fleet.console.ui..", "fleet.console.app..", "fleet.console.sandbox..")
                .because("the engine runs headless from the CLI and behind the wizard alike, on a cluster or the sandbox")
                .check(classes);
    }

    @Test
    void diagnosesAreMadeWithoutAWindowOrTheSandbox() {
        noClasses().that().resideInAPackage("fleet.console.diagnosis..")
                .should().dependOnClassesThat().resideInAnyPackage("fleet.console.ui..", "fleet.console.app..", "fleet.console.sandbox..")
                .because("health --explain and the Diagnosis panel share one diagnosis, on a cluster or the sandbox alike")
                .check(classes);
    }

    @Test
    void testsMakeTheirFoldersWithScratchDirSoTheyAreRemoved() {
        JavaClasses tests = new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("fleet.console");
        noClasses().should().callMethod(Files.class, "createTempDirectory", String.class, FileAttribute[].class)
                .orShould().callMethod(Files.class, "createTempDirectory", Path.class, String.class, FileAttribute[].class)
                .because("a folder made with Files.createTempDirectory stays in the temporary folder after the run"
                        + " (800 had piled up); ScratchDir removes its folder when the JVM exits")
                .check(tests);
    }
}
