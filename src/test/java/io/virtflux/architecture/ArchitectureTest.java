package io.virtflux.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
