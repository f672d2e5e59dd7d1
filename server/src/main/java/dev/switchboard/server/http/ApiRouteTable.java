package dev.switchboard.server.http;

import io.helidon.common.uri.UriPath;
import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.webserver.http.Handler;
import java.util.ArrayList;
import java.util.List;

/**
 * The API's routes, under the API base ({@code /api/v1}, {@code /v1}): each feature adds its own
 * ({@code register(ApiRouteTable)} on its endpoint class), and the composition root hands the table to
 * {@link ApiRoutes}, which guards and mounts them. Filled at start-up, on one thread; read-only after.
 */
public final class ApiRouteTable {
    private final List<Route> routes = new ArrayList<>();

    /** Adds {@code method path} (a path pattern such as {@code /keys/{hash}}) answered by {@code handler}. */
    public ApiRouteTable add(Method method, String path, Handler handler) {
        routes.add(new Route(method, path, handler, PathMatchers.create(path)));
        return this;
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    /** One API endpoint: a method and a path pattern under the API base. */
    record Route(Method method, String path, Handler handler, PathMatcher matcher) {
        boolean matches(String pathUnderBase) {
            return matcher.match(UriPath.create(pathUnderBase)).accepted();
        }
    }
}
