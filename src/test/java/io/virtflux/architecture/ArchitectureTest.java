package io.virtflux.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of ARCHITECTURE.md, checked on every build rather than remembered. */
class ArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.virtflux");

  @Test
  void onlyTheLibvirtAdapterImportsLibvirtJava() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.virtflux.libvirt")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.libvirt..")
        .check(MAIN);
  }

  @Test
  void controllersNeverCallTheAdapterDirectly() {
    noClasses()
        .that()
        .areAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
        .should()
        .dependOnClassesThat()
        .areAssignableTo(io.virtflux.libvirt.LibvirtGateway.class)
        .check(MAIN);
  }

  @Test
  void theOperationPipelineDependsOnNoFeature() {
    noClasses()
        .that()
        .resideInAPackage("io.virtflux.operation..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.virtflux.host..", "io.virtflux.vm..", "io.virtflux.libvirt..", "org.libvirt..")
        .check(MAIN);
  }

  @Test
  void theTypedXmlModelIsFreeOfLibvirtJavaAndSpringWeb() {
    noClasses()
        .that()
        .resideInAPackage("io.virtflux.libvirt.xml..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.libvirt..", "org.springframework.web..")
        .check(MAIN);
  }

  @Test
  void onlyTheLibvirtAdapterUsesTheXmlCodec() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.virtflux.libvirt..")
        .should()
        .dependOnClassesThat()
        .areAssignableTo(io.virtflux.libvirt.xml.XmlCodec.class)
        .check(MAIN);
  }

  @Test
  void pciMatchingDependsOnlyOnTheAdapter() {
    noClasses()
        .that()
        .resideInAPackage("io.virtflux.pci..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.virtflux.host..",
            "io.virtflux.vm..",
            "io.virtflux.migration..",
            "io.virtflux.hotplug..")
        .check(MAIN);
  }

  @Test
  void featuresDoNotReachIntoHotplug() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.virtflux.hotplug..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.virtflux.hotplug..")
        .check(MAIN);
  }

  // io.virtflux.operation: the root is the API that features use (the model, the ports they call
  // and implement) and the pipeline; its subpackages are how the pipeline works: journal, lanes,
  // events (the SSE streams) and web (the operations' own controllers). Where a rule lets the root
  // use a subpackage, only the root's pipeline may
  // (onlyThePipelineOfTheOperationRootUsesItsSubpackages).

  private static final String OPERATION = "io.virtflux.operation";
  private static final String OPERATION_SUBPACKAGES = "io.virtflux.operation.*..";

  /**
   * The root classes that put the subpackages together, and so the only ones of the root that use
   * them; by simple name, as most are package-private. The rest of the root is what the subpackages
   * themselves build on, so it must not use them: that would be a cycle.
   */
  private static final List<String> OPERATION_PIPELINE =
      List.of(
          "OperationService", // journal, lanes
          "JournalRecovery", // journal
          "ObservedEvents", // journal
          "GracefulDrain", // events
          "OperationMetrics", // journal (as a listener), events
          "TailedOperations"); // journal (as a listener of every replica's events)

  private static final DescribedPredicate<JavaClass> NOT_THE_ROOTS_PIPELINE =
      DescribedPredicate.describe(
          "are not its pipeline " + OPERATION_PIPELINE, c -> !inTheRootsPipeline(c));

  @Test
  void featuresUseOnlyTheRootOfTheOperationPackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.virtflux.operation..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(OPERATION_SUBPACKAGES)
        .because(
            "features build on the operation API in io.virtflux.operation; its subpackages are"
                + " how the pipeline works")
        .check(MAIN);
  }

  @Test
  void onlyThePipelineOfTheOperationRootUsesItsSubpackages() {
    noClasses()
        .that()
        .resideInAPackage(OPERATION)
        .and(NOT_THE_ROOTS_PIPELINE)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(OPERATION_SUBPACKAGES)
        .because("the subpackages build on the rest of the root: the model and its ports")
        .check(MAIN);
  }

  @Test
  void theJournalIsUsedByThePipelineTheEventStreamsAndTheControllers() {
    classes()
        .that()
        .resideInAPackage("io.virtflux.operation.journal..")
        .should()
        .onlyHaveDependentClassesThat()
        .resideInAnyPackage(
            OPERATION,
            "io.virtflux.operation.journal..",
            "io.virtflux.operation.events..",
            "io.virtflux.operation.web..")
        .check(MAIN);
  }

  @Test
  void theLanesAreUsedByThePipelineOnly() {
    classes()
        .that()
        .resideInAPackage("io.virtflux.operation.lanes..")
        .should()
        .onlyHaveDependentClassesThat()
        .resideInAnyPackage(OPERATION, "io.virtflux.operation.lanes..")
        .check(MAIN);
  }

  @Test
  void theEventStreamsAreUsedByThePipelineAndTheControllers() {
    classes()
        .that()
        .resideInAPackage("io.virtflux.operation.events..")
        .should()
        .onlyHaveDependentClassesThat()
        .resideInAnyPackage(
            OPERATION, "io.virtflux.operation.events..", "io.virtflux.operation.web..")
        .check(MAIN);
  }

  @Test
  void nothingUsesTheOperationControllers() {
    classes()
        .that()
        .resideInAPackage("io.virtflux.operation.web..")
        .should()
        .onlyHaveDependentClassesThat()
        .resideInAPackage("io.virtflux.operation.web..")
        .check(MAIN);
  }

  /**
   * Each subpackage is a slice, and the root two: its pipeline, which uses the subpackages, and the
   * rest, which they use. As one slice the root would be in a cycle with every subpackage by
   * construction; split so, a cycle is a subpackage reaching back into the pipeline, or two
   * subpackages using each other.
   */
  @Test
  void theOperationPackagesAreFreeOfCycles() {
    slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass c) {
                String name = c.getPackageName();
                if (name.equals(OPERATION)) {
                  return SliceIdentifier.of(
                      inTheRootsPipeline(c) ? "operation (pipeline)" : "operation");
                }
                if (name.startsWith(OPERATION + ".")) {
                  return SliceIdentifier.of(
                      "operation." + name.substring(OPERATION.length() + 1).split("\\.")[0]);
                }
                return SliceIdentifier.ignore();
              }

              @Override
              public String getDescription() {
                return "the subpackages of " + OPERATION + ", its pipeline and the rest of it";
              }
            })
        .should()
        .beFreeOfCycles()
        .check(MAIN);
  }

  /** Whether {@code c} is, or is nested in, one of {@link #OPERATION_PIPELINE}. */
  private static boolean inTheRootsPipeline(JavaClass c) {
    if (!c.getPackageName().equals(OPERATION)) {
      return false;
    }
    String name = c.getName().substring(OPERATION.length() + 1);
    int nested = name.indexOf('$');
    return OPERATION_PIPELINE.contains(nested < 0 ? name : name.substring(0, nested));
  }

  /**
   * A hotplug declares that it conflicts with a migration of its VM (the pipeline refuses it): it
   * does not ask the migration feature.
   */
  @Test
  void hotplugDoesNotDependOnMigration() {
    noClasses()
        .that()
        .resideInAPackage("io.virtflux.hotplug..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.virtflux.migration..")
        .check(MAIN);
  }
}
