/**
 * Tether core: start process trees and stop them with nothing left behind.
 * {@code dev.tether} is the API; {@code dev.tether.spi} the platform SPI; {@code dev.tether.registry}
 * the durable registry. The Linux backend, its raw libc bindings, the portable fallback and the
 * internals are not exported.
 */
module dev.tether.core {
    requires org.slf4j;
    requires java.sql;
    requires java.net.http;
    requires org.xerial.sqlitejdbc;

    exports dev.tether;
    exports dev.tether.spi;
    exports dev.tether.registry;
}
