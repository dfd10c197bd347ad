package io.switchboard.platform.web.errors;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Every error a service answers is a problem document, also those decided before a controller
 * runs: Tomcat's own error reports ({@link ProblemErrorReportValve}), what reaches the servlet
 * error page ({@link ProblemErrorController}: Spring Security's firewall, methods Tomcat refuses)
 * and refused cross-origin requests (the CORS processor of the bearer-token chain).
 */
@Configuration(proxyBeanMethods = false)
@Import(ProblemErrorController.class)
public class ContainerErrorsConfiguration {

    /**
     * Replaces the host's error report valve (Boot adds a plain one that hides stack traces) with
     * the problem one; ordered last, so it runs after Boot's own customizer.
     */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    /**
     * Spring Security's strict firewall, also refusing a NUL in a parameter: no text column stores
     * one, and nothing a client means contains one. A refused request is a 400 problem.
     */
    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedParameterValues(value -> value.indexOf('\u0000') < 0);
        firewall.setAllowedParameterNames(name -> name.indexOf('\u0000') < 0);
        return firewall;
    }
}
