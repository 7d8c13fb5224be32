package dev.rollcall.servers.junit;

import dev.rollcall.servers.BuildScopedOpenSearch;
import dev.rollcall.servers.ElasticMqServer;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Resolves {@link TestOpenSearch} and {@link TestSqs}; servers are started once and shared. */
public final class RealServersExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealServersExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestOpenSearch.class || type == TestSqs.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == TestOpenSearch.class) {
            return new TestOpenSearch(BuildScopedOpenSearch.get().uri());
        }
        ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
        SqsResource sqs = root.getOrComputeIfAbsent(SqsResource.class, k -> new SqsResource(), SqsResource.class);
        return new TestSqs(sqs.server.endpoint());
    }

    /** ElasticMQ lives as long as the test JVM's root context; closed when it ends. */
    @SuppressWarnings("deprecation")
    private static final class SqsResource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final ElasticMqServer server = ElasticMqServer.start(0, TestSqs.REGION, TestSqs.ACCOUNT_ID);

        @Override
        public void close() {
            server.close();
        }
    }
}
