package io.virtflux.vm.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.libvirt.xml.XmlCodec;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The beans of this package and the codec wire up from configuration alone. */
class SpringWiringTest {

  @Configuration
  @EnableConfigurationProperties({VmDefaults.class, VmPolicy.class})
  @Import({TemplateValidator.class, DomainBuilder.class, XmlCodec.class})
  static class Wiring {}

  @Test
  void buildsDomainsFromBoundProperties() {
    new ApplicationContextRunner()
        .withUserConfiguration(Wiring.class)
        .withPropertyValues(
            "virtflux.vm.defaults.vcpu=2",
            "virtflux.vm.defaults.raw=<devices><watchdog model='i6300esb'/></devices>")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              DomainBuilder builder = context.getBean(DomainBuilder.class);
              String xml =
                  context
                      .getBean(XmlCodec.class)
                      .write(
                          builder.build(
                              Fixtures.template("{name: 'a', memory: 64}"),
                              Fixtures.HOST,
                              CallerRole.USER));
              assertThat(xml).contains("<vcpu>2</vcpu>").contains("<watchdog model=\"i6300esb\"/>");
            });
  }

  @Test
  void refusesToStartWithMalformedDefaultRaw() {
    new ApplicationContextRunner()
        .withUserConfiguration(Wiring.class)
        .withPropertyValues("virtflux.vm.defaults.raw=<devices>")
        .run(
            context ->
                // the start failed because the default RAW is not XML, not for some other reason
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining(
                        io.virtflux.libvirt.xml.XmlFragmentException.class.getName()));
  }
}
