package dev.latch.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The helper ships alone as latch.jar: it may use the JDK and itself, nothing else. */
class CliArchitectureTest {

    @Test
    void theHelperDependsOnlyOnTheJdk() {
        JavaClasses helper = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.latch.cli");
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("dev.latch.cli..", "java..", "javax.crypto..")
                .because("latch.jar contains only dev.latch.cli and must start fast without libraries")
                .check(helper);
    }
}
