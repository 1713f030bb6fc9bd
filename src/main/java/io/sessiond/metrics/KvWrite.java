package io.sessiond.metrics;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A KV write, timed and counted as {@link SessiondMetrics#KV_WRITES} with its operation: the time includes
 * the commit, as the interceptor wraps the method's transaction ({@link KvWriteInterceptor}).
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface KvWrite {

    /** The operation's tag: set, cas, acquire, release, delete, delete-tree, delete-cas. */
    @Nonbinding
    String value();
}
