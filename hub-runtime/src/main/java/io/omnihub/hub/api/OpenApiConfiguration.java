package io.omnihub.hub.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the OpenAPI document at {@code /v3/api-docs} says about the API as a whole. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI omnihubOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("OmniHub API")
                        .version("v1")
                        .description("Operate an OmniHub: plugins, connector instances, customers, dead letters. "
                                + "Errors are RFC 7807 problem details. Reading needs role viewer, changing needs operator."))
                .components(new Components().addSecuritySchemes("basic",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")))
                .addSecurityItem(new SecurityRequirement().addList("basic"));
    }
}
