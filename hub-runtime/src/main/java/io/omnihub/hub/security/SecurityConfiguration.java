package io.omnihub.hub.security;

import io.omnihub.hub.HubProperties;
import io.omnihub.hub.logging.SecretValues;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may do what (DESIGN §8).
 *
 * <ul>
 *   <li>Roles viewer &lt; operator &lt; admin, each including the ones before it. Reading the API
 *       needs viewer; changing anything through it needs operator.</li>
 *   <li>The API, OpenAPI document and metrics take HTTP Basic and answer 401/403 as problem details;
 *       the console uses form login at {@code /login}.</li>
 *   <li>Webhooks ({@code /hooks/**}) are public: every connector verifies the channel's signature.
 *       Health is public for load balancers and orchestrators.</li>
 *   <li>CSRF protection is off for webhooks (channels cannot send a token) and for requests that
 *       carry their own {@code Authorization} header (API clients; a browser never adds one to a
 *       cross-site request). Everything the console changes through its session cookie, API calls
 *       included, must echo the session's CSRF token ({@code GET /api/v1/session} hands it out).</li>
 *   <li>Installing and reloading plugins takes role admin.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    AdminCredentials adminCredentials(HubProperties properties) {
        AdminCredentials admin = AdminCredentials.of(properties.getSecurity().getAdminPassword());
        if (!admin.generated()) {
            // A configured password must never show up in a log line; a generated one is printed once, on purpose.
            SecretValues.register(List.of(admin.password()));
        }
        return admin;
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService users(HubProperties properties, AdminCredentials admin, PasswordEncoder encoder) {
        List<UserDetails> users = new ArrayList<>();
        users.add(User.withUsername(admin.username())
                .password(encoder.encode(admin.password()))
                .roles(HubProperties.Security.Role.ADMIN.name())
                .build());
        properties.getSecurity().getUsers().forEach((name, user) -> {
            if (name.equals(admin.username())) {
                throw new IllegalStateException("hub.security.users must not redefine '" + name + "'; use hub.security.admin-password");
            }
            if (user.getPassword() == null || user.getPassword().isBlank()) {
                throw new IllegalStateException("hub.security.users." + name + ".password is empty");
            }
            String password = user.getPassword();
            boolean encoded = password.startsWith("{") && password.indexOf('}') > 1;
            if (!encoded) {
                SecretValues.register(List.of(password));
            }
            users.add(User.withUsername(name)
                    .password(encoded ? password : encoder.encode(password))
                    .roles(user.getRole().name())
                    .build());
        });
        return new InMemoryUserDetailsManager(users);
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(HubProperties.Security.Role.ADMIN.name()).implies(HubProperties.Security.Role.OPERATOR.name())
                .role(HubProperties.Security.Role.OPERATOR.name()).implies(HubProperties.Security.Role.VIEWER.name())
                .build();
    }

    /**
     * Webhooks get a chain of their own with nothing in it: a channel's request is authenticated by
     * the connector's signature check, and sessions, saved requests, CSRF tokens and response
     * headers mean nothing to a channel's server. Every filter skipped is throughput on the hottest path.
     */
    @Bean
    @Order(1)
    SecurityFilterChain webhookSecurity(HttpSecurity http) throws Exception {
        http
                .securityMatcher(path("/hooks/**"))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(AbstractHttpConfigurer::disable)
                .headers(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .securityContext(AbstractHttpConfigurer::disable)
                .sessionManagement(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .exceptionHandling(AbstractHttpConfigurer::disable);
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain hubSecurity(HttpSecurity http) throws Exception {
        ProblemAuthenticationEntryPoint problems = new ProblemAuthenticationEntryPoint();
        RequestMatcher machineEndpoints = new OrRequestMatcher(path("/api/**"), path("/actuator/**"), path("/v3/api-docs/**"));
        String viewer = HubProperties.Security.Role.VIEWER.name();
        String operator = HubProperties.Security.Role.OPERATOR.name();
        String admin = HubProperties.Security.Role.ADMIN.name();
        http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(path("/actuator/health"), path("/actuator/health/**"), path("/actuator/info")).permitAll()
                        .requestMatchers(path("/login"), path("/error"), path("/favicon.ico")).permitAll()
                        .requestMatchers(path(HttpMethod.GET, "/api/**"), path(HttpMethod.HEAD, "/api/**")).hasRole(viewer)
                        .requestMatchers(path(HttpMethod.POST, "/api/v1/plugins"), path(HttpMethod.POST, "/api/v1/plugins/*/reload")).hasRole(admin)
                        .requestMatchers(path("/api/**")).hasRole(operator)
                        .requestMatchers(path("/actuator/**"), path("/v3/api-docs/**")).hasRole(viewer)
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.realmName(ProblemAuthenticationEntryPoint.REALM).authenticationEntryPoint(problems))
                .formLogin(Customizer.withDefaults())
                .logout(Customizer.withDefaults())
                .exceptionHandling(exceptions -> exceptions
                        .defaultAuthenticationEntryPointFor(problems, machineEndpoints)
                        .defaultAccessDeniedHandlerFor(problems, machineEndpoints))
                // Only a page a person asked for is worth returning to after login; an API request is not.
                .requestCache(cache -> cache.requestCache(pagesOnly(machineEndpoints)))
                .csrf(csrf -> csrf.requireCsrfProtectionMatcher(SecurityConfiguration::changesThroughTheSession));
        return http.build();
    }

    /**
     * A request that changes something and has no {@code Authorization} header of its own: it can only
     * be authenticated by the session cookie, which a browser also sends with a forged cross-site request.
     */
    static boolean changesThroughTheSession(jakarta.servlet.http.HttpServletRequest request) {
        String method = request.getMethod();
        boolean safe = "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method) || "TRACE".equals(method);
        return !safe && request.getHeader("Authorization") == null;
    }

    private static HttpSessionRequestCache pagesOnly(RequestMatcher machineEndpoints) {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setRequestMatcher(new NegatedRequestMatcher(machineEndpoints));
        return cache;
    }

    private static RequestMatcher path(String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(pattern);
    }

    private static RequestMatcher path(HttpMethod method, String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(method, pattern);
    }
}
