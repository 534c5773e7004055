package io.omnihub.hub.security;

import io.omnihub.hub.HubProperties;
import io.omnihub.hub.apitokens.ApiTokenAuthenticationProvider;
import io.omnihub.hub.apitokens.ApiTokenStore;
import io.omnihub.hub.apitokens.BearerTokenConverter;
import io.omnihub.hub.logging.SecretValues;
import io.omnihub.hub.privacy.RevealPermission;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfFilter;
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
 *       needs viewer; changing anything through it needs operator; plugins, API tokens, the privacy
 *       audit and a customer's access export need admin.</li>
 *   <li>Customers' personal data is masked in every answer; revealing it for one customer needs the
 *       {@code reveal} permission ({@link RevealPermission}): admins hold it, operators when granted.</li>
 *   <li>The console logs in with the form at {@code /login} (a session cookie). Machine clients send
 *       an API token ({@code Authorization: Bearer}, checked with one SHA-256, no password hashing)
 *       or HTTP Basic credentials; the API answers 401/403/429 as problem details and never with a
 *       Basic challenge, so no browser ever caches Basic credentials for the hub.</li>
 *   <li>Failed logins (form, Basic, tokens) are counted per user name and per client address; too
 *       many lock that name or address out for a while ({@link LoginThrottle}).</li>
 *   <li>A state-changing request a browser sends for another site is refused (403) before anything
 *       else looks at it ({@link CrossOriginGuard}), whatever credentials it carries.</li>
 *   <li>A change made through the session cookie must echo the session's CSRF token
 *       ({@code GET /api/v1/session} hands it out), with no exception. Only requests that carry their
 *       own credentials and no session skip it: a bearer token, or Basic credentials from a client
 *       that is no browser (no {@code Origin}, no {@code Sec-Fetch-Site}, no session cookie).</li>
 *   <li>Webhooks ({@code /hooks/**}) are public: every connector verifies the channel's signature.
 *       Health is public for load balancers and orchestrators.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    AdminCredentials adminCredentials(HubProperties properties) {
        AdminCredentials admin = AdminCredentials.of(properties.getSecurity().getAdminPassword(),
                properties.getDataDir().resolve("admin-password"));
        // Never in a log line: a generated password is printed once to the console, not through the log.
        SecretValues.register(List.of(admin.password()));
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
            if (user.isReveal() && user.getRole() == HubProperties.Security.Role.VIEWER) {
                throw new IllegalStateException("hub.security.users." + name + ".reveal is for operators; '" + name + "' is a viewer");
            }
            List<String> authorities = new ArrayList<>(List.of("ROLE_" + user.getRole().name()));
            if (user.isReveal()) {
                authorities.add(RevealPermission.AUTHORITY);
            }
            users.add(User.withUsername(name)
                    .password(encoded ? password : encoder.encode(password))
                    .authorities(authorities.toArray(String[]::new))
                    .build());
        });
        return new InMemoryUserDetailsManager(users);
    }

    /** admin &gt; operator &gt; viewer; an admin also holds the permission to reveal personal data. */
    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withRolePrefix("")
                .role("ROLE_" + HubProperties.Security.Role.ADMIN.name())
                .implies("ROLE_" + HubProperties.Security.Role.OPERATOR.name(), RevealPermission.AUTHORITY)
                .role("ROLE_" + HubProperties.Security.Role.OPERATOR.name()).implies("ROLE_" + HubProperties.Security.Role.VIEWER.name())
                .build();
    }

    /**
     * Webhooks get a chain of their own with nothing in it: a channel's request is authenticated by
     * the connector's signature check, and sessions, saved requests, CSRF tokens and response
     * headers mean nothing to a channel's server. The webhook servlet's own filter
     * ({@code WebhookDirectFilter}) takes {@code /hooks/*} past every filter, this chain included;
     * the chain states the same rule for Spring Security, should a request get here.
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
    LoginThrottle loginThrottle(HubProperties properties, Clock clock) {
        HubProperties.Security.Login login = properties.getSecurity().getLogin();
        return new LoginThrottle(clock, login.getMaxFailuresPerUser(), login.getMaxFailuresPerAddress(),
                login.getFailureWindow(), login.getLockout());
    }

    @Bean
    ApiTokenStore apiTokenStore(DataSource dataSource, Clock clock) {
        return new ApiTokenStore(dataSource, clock);
    }

    @Bean
    @Order(2)
    SecurityFilterChain hubSecurity(HttpSecurity http, HubProperties properties, UserDetailsService users, PasswordEncoder encoder,
                                    LoginThrottle throttle, ApiTokenStore tokens) throws Exception {
        ProblemAuthenticationEntryPoint problems = new ProblemAuthenticationEntryPoint();
        RequestMatcher machineEndpoints = new OrRequestMatcher(path("/api/**"), path("/actuator/**"), path("/v3/api-docs/**"));
        String viewer = HubProperties.Security.Role.VIEWER.name();
        String operator = HubProperties.Security.Role.OPERATOR.name();
        String admin = HubProperties.Security.Role.ADMIN.name();
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
        passwords.setPasswordEncoder(encoder);
        AuthenticationManager passwordLogins = new ProviderManager(new ThrottledAuthenticationProvider(passwords, throttle));
        AuthenticationFilter bearerTokens = new AuthenticationFilter(
                new ProviderManager(new ApiTokenAuthenticationProvider(tokens, throttle)), new BearerTokenConverter());
        // A token authenticates its own request only: no redirect, no session.
        bearerTokens.setSuccessHandler((request, response, authentication) -> { });
        bearerTokens.setFailureHandler(new AuthenticationEntryPointFailureHandler(problems));
        http
                .authenticationManager(passwordLogins)
                .addFilterBefore(new CrossOriginGuard(properties.getSecurity().getTrustedOrigins()), CsrfFilter.class)
                .addFilterBefore(bearerTokens, BasicAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(path("/actuator/health"), path("/actuator/health/**"), path("/actuator/info")).permitAll()
                        .requestMatchers(path("/login"), path("/error"), path("/favicon.ico")).permitAll()
                        .requestMatchers(path("/api/v1/tokens"), path("/api/v1/tokens/**"), path("/api/v1/secrets/**")).hasRole(admin)
                        .requestMatchers(path("/api/v1/privacy/**"), path(HttpMethod.DELETE, "/api/v1/customers/*"),
                                path(HttpMethod.GET, "/api/v1/customers/*/export")).hasRole(admin)
                        .requestMatchers(path(HttpMethod.POST, "/api/v1/customers/*/reveal")).hasAuthority(RevealPermission.AUTHORITY)
                        .requestMatchers(path(HttpMethod.GET, "/api/**"), path(HttpMethod.HEAD, "/api/**")).hasRole(viewer)
                        .requestMatchers(path(HttpMethod.POST, "/api/v1/plugins"), path(HttpMethod.POST, "/api/v1/plugins/*/reload")).hasRole(admin)
                        .requestMatchers(path("/api/**")).hasRole(operator)
                        .requestMatchers(path("/actuator/**"), path("/v3/api-docs/**")).hasRole(viewer)
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.realmName(ProblemAuthenticationEntryPoint.REALM).authenticationEntryPoint(problems))
                .formLogin(form -> form.failureHandler(new LockedLoginPage()))
                .logout(Customizer.withDefaults())
                .exceptionHandling(exceptions -> exceptions
                        .defaultAuthenticationEntryPointFor(problems, machineEndpoints)
                        .defaultAccessDeniedHandlerFor(problems, machineEndpoints))
                // Only a page a person asked for is worth returning to after login; an API request is not.
                .requestCache(cache -> cache.requestCache(pagesOnly(machineEndpoints)))
                .csrf(csrf -> csrf.requireCsrfProtectionMatcher(SecurityConfiguration::needsCsrfToken));
        return http.build();
    }

    /**
     * Whether a request must echo the session's CSRF token: every change, unless the request carries
     * credentials of its own that no browser adds by itself and has no session to ride on. A browser
     * that once cached Basic credentials sends them with a forged cross-site request too, so Basic
     * counts as its own only from a client that shows no sign of being a browser.
     */
    static boolean needsCsrfToken(HttpServletRequest request) {
        String method = request.getMethod();
        if (CrossOriginGuard.isSafe(method) || "TRACE".equals(method)) {
            return false;
        }
        if (BearerTokenConverter.carriesBearerToken(request)) {
            return false;
        }
        String authorization = request.getHeader("Authorization");
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        boolean browserOrSession = request.getHeader("Origin") != null || request.getHeader("Sec-Fetch-Site") != null
                || request.getRequestedSessionId() != null;
        return !basic || browserOrSession;
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
