package io.sessiond.metrics;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Times a {@link KvWrite} method that completed, commit included: its priority puts it outside the
 * transaction interceptor ({@code PLATFORM_BEFORE + 200}). A write that threw is not counted.
 */
@KvWrite("")
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE)
public class KvWriteInterceptor {

    private final SessiondMetrics metrics;

    public KvWriteInterceptor(SessiondMetrics metrics) {
        this.metrics = metrics;
    }

    @AroundInvoke
    Object time(InvocationContext invocation) throws Exception {
        long started = System.nanoTime();
        Object result = invocation.proceed();
        metrics.kvWrite(invocation.getMethod().getAnnotation(KvWrite.class).value(), System.nanoTime() - started);
        return result;
    }
}
