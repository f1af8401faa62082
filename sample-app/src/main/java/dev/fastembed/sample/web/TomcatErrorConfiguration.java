package dev.fastembed.sample.web;

import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Tomcat reports what it rejects on its own as problem details ({@link ProblemDetailsErrorReportValve}). */
@Configuration(proxyBeanMethods = false)
class TomcatErrorConfiguration {

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemDetailsErrorReport() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemDetailsErrorReportValve.class.getName());
                // Spring Boot adds its own ErrorReportValve (HTML) in another customizer: replace it at start.
                host.addLifecycleListener(event -> {
                    if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                        for (Valve valve : host.getPipeline().getValves()) {
                            if (valve instanceof ErrorReportValve && !(valve instanceof ProblemDetailsErrorReportValve)) {
                                host.getPipeline().removeValve(valve);
                            }
                        }
                    }
                });
            }
        });
    }
}
