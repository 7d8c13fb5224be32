package dev.rollcall.servers.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test that talks to the real OpenSearch and ElasticMQ; inject {@link TestOpenSearch} and
 * {@link TestSqs} as test or lifecycle method parameters.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealServersExtension.class)
@Tag("integration")
public @interface RealServers {
}
