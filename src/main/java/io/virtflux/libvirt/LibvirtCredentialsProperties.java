package io.virtflux.libvirt;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The files the service authenticates to libvirt hosts with; every one optional (unset: libvirt's
 * own defaults). Checked at start-up by {@link LibvirtCredentials}.
 *
 * @param tls for {@code qemu+tls://} (and {@code qemu://host/}) hosts
 * @param ssh for {@code qemu+ssh://}, {@code qemu+libssh://} and {@code qemu+libssh2://} hosts
 */
@ConfigurationProperties("virtflux.libvirt")
public record LibvirtCredentialsProperties(@DefaultValue Tls tls, @DefaultValue Ssh ssh) {

  /**
   * @param pkiPath a directory with {@code cacert.pem} (the CA the hosts' certificates are signed
   *     by), {@code clientcert.pem} and {@code clientkey.pem} (the service's certificate and its
   *     unencrypted key): libvirt's {@code pkipath} layout. Unset: {@code $HOME/.pki/libvirt}, else
   *     {@code /etc/pki}
   */
  public record Tls(@Nullable Path pkiPath) {}

  /**
   * @param keyFile the private key (unencrypted) the service logs in with. Unset: ssh's defaults
   * @param knownHosts the OpenSSH-format known_hosts file host keys are checked against; a host
   *     whose key is not in it is OFFLINE. Unset: {@code ~/.ssh/known_hosts} for qemu+ssh,
   *     libvirt's {@code ~/.config/libvirt/known_hosts} for qemu+libssh(2)
   */
  public record Ssh(@Nullable Path keyFile, @Nullable Path knownHosts) {}

  /** No credential files configured: libvirt's defaults everywhere. */
  public static LibvirtCredentialsProperties none() {
    return new LibvirtCredentialsProperties(new Tls(null), new Ssh(null, null));
  }
}
