package dev.rollcall.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a fresh JVM whose class path is a Lambda jar plus this one class: creates the handler as the Lambda runtime
 * would, hands it one event and prints the time from JVM start to the handled event. Uses only the JDK and
 * reflection, so nothing but the Lambda jar's own classes is measured.
 *
 * <p>Arguments: handler class, {@code stream} or {@code http}, then the event file (stream) or the HTTP path (http).
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Class<?> handlerClass = Class.forName(args[0]);
        Object handler = handlerClass.getConstructor().newInstance();
        long initDone = System.currentTimeMillis();
        Class<?> contextType = Class.forName("com.amazonaws.services.lambda.runtime.Context");
        Object context = Proxy.newProxyInstance(ColdStartProbe.class.getClassLoader(), new Class<?>[] {contextType}, (proxy, method, a) -> switch (method.getName()) {
            case "getAwsRequestId" -> "coldstart";
            case "getRemainingTimeInMillis" -> 30_000;
            case "getFunctionName" -> "coldstart";
            case "getMemoryLimitInMB" -> 1024;
            default -> null;
        });
        if (args[1].equals("stream")) {
            byte[] event = Files.readAllBytes(Path.of(args[2]));
            Method handle = handlerClass.getMethod("handleRequest", java.io.InputStream.class, java.io.OutputStream.class, contextType);
            handle.invoke(handler, new ByteArrayInputStream(event), new ByteArrayOutputStream(), context);
        } else {
            Class<?> eventType = Class.forName("com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent");
            Object event = eventType.getConstructor().newInstance();
            eventType.getMethod("setRawPath", String.class).invoke(event, args[2]);
            eventType.getMethod("setRawQueryString", String.class).invoke(event, "");
            Class<?> contextClass = Class.forName(eventType.getName() + "$RequestContext");
            Class<?> httpClass = Class.forName(eventType.getName() + "$RequestContext$Http");
            Object http = httpClass.getConstructor().newInstance();
            httpClass.getMethod("setMethod", String.class).invoke(http, "GET");
            httpClass.getMethod("setPath", String.class).invoke(http, args[2]);
            Object requestContext = contextClass.getConstructor().newInstance();
            contextClass.getMethod("setHttp", httpClass).invoke(requestContext, http);
            contextClass.getMethod("setRequestId", String.class).invoke(requestContext, "coldstart");
            eventType.getMethod("setRequestContext", contextClass).invoke(event, requestContext);
            eventType.getMethod("setHeaders", java.util.Map.class).invoke(event, java.util.Map.of());
            Method handle = handlerClass.getMethod("handleRequest", Object.class, contextType);
            handle.invoke(handler, event, context);
        }
        long done = System.currentTimeMillis();
        System.out.println("COLDSTART init_ms=" + (initDone - jvmStart) + " first_event_ms=" + (done - jvmStart));
    }
}
