package dev.tabard.gate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.Action;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which action each route of the service behind the gate performs: the capability it needs and where its parameters
 * (amount, currency, data region, resource) are in the request. A request that matches no route is refused: what the
 * application did not declare, no credential allows.
 *
 * <p>Routes are tried in order; a path is literal segments, {@code {name}} segments (one segment, readable as
 * {@code path:name}) and an optional final {@code *} (any rest).
 */
public final class RouteActions {

    public static final int MAX_ROUTES = 1_000;
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final Set<String> MEMBERS = Set.of("method", "path", "capability", "amount", "currency", "dataRegion", "resource");

    /** One declared route: a method, a path pattern, the capability it needs and where its action's parameters are. */
    public static final class Route {
        private final String method;
        private final String path;
        private final String capability;
        private final Optional<Param> amount;
        private final Optional<Param> currency;
        private final Optional<Param> dataRegion;
        private final Optional<Param> resource;

        private Route(String method, String path, String capability, Optional<Param> amount, Optional<Param> currency,
                      Optional<Param> dataRegion, Optional<Param> resource) {
            this.method = Objects.requireNonNull(method, "method");
            this.path = Objects.requireNonNull(path, "path");
            this.capability = Objects.requireNonNull(capability, "capability");
            this.amount = amount;
            this.currency = currency;
            this.dataRegion = dataRegion;
            this.resource = resource;
            if (!METHODS.contains(method)) {
                throw new IllegalArgumentException("method " + method + " is not one of " + METHODS);
            }
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path " + path + " must start with /");
            }
            if (capability.isBlank()) {
                throw new IllegalArgumentException("route " + method + " " + path + " names no capability");
            }
        }

        /** A route that needs {@code capability} and reads no parameter. */
        public static Route of(String method, String path, String capability) {
            return new Route(method, path, capability, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }

        /** This route reading the action's amount and its currency (ISO 4217) from the request. */
        public Route amount(Param value, Param currencyCode) {
            return new Route(method, path, capability, Optional.of(value), Optional.of(currencyCode), dataRegion, resource);
        }

        public Route dataRegion(Param p) {
            return new Route(method, path, capability, amount, currency, Optional.of(p), resource);
        }

        public Route resource(Param p) {
            return new Route(method, path, capability, amount, currency, dataRegion, Optional.of(p));
        }

        public String method() {
            return method;
        }

        public String path() {
            return path;
        }

        public String capability() {
            return capability;
        }

        public Optional<Param> amount() {
            return amount;
        }

        public Optional<Param> currency() {
            return currency;
        }

        public Optional<Param> dataRegion() {
            return dataRegion;
        }

        public Optional<Param> resource() {
            return resource;
        }

        String[] segments() {
            return path.substring(1).split("/", -1);
        }

        @Override
        public String toString() {
            return method + " " + path + " -> " + capability;
        }
    }

    /** A route matched by a request, with the values of its {@code {name}} segments. */
    public record Matched(Route route, Map<String, String> pathParams) {
        public Matched {
            Objects.requireNonNull(route, "route");
            pathParams = Map.copyOf(pathParams);
        }
    }

    private final List<Route> routes;

    public RouteActions(List<Route> routes) {
        if (routes.size() > MAX_ROUTES) {
            throw new IllegalArgumentException("at most " + MAX_ROUTES + " routes");
        }
        this.routes = List.copyOf(routes);
    }

    public List<Route> routes() {
        return routes;
    }

    /**
     * Reads a {@code routes} array: {@code [{"method": "POST", "path": "/payments", "capability": "payments:initiate",
     * "amount": "body:/amount/value", "currency": "body:/amount/currency", "dataRegion": "header:Data-Region",
     * "resource": "path:id"}]}.
     *
     * @throws IllegalArgumentException naming the route and member that is wrong
     */
    public static RouteActions fromJson(JsonNode routes) {
        if (routes == null || !routes.isArray() || routes.isEmpty()) {
            throw new IllegalArgumentException("'routes' must be a non-empty array of {method, path, capability, …}");
        }
        List<Route> list = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            JsonNode r = routes.get(i);
            String where = "routes[" + i + "]";
            if (!r.isObject()) {
                throw new IllegalArgumentException(where + " must be an object");
            }
            for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!MEMBERS.contains(name)) {
                    throw new IllegalArgumentException(where + " has an unknown member '" + name + "'; members are " + MEMBERS);
                }
            }
            try {
                Route route = Route.of(text(r, "method", where).toUpperCase(Locale.ROOT), text(r, "path", where), text(r, "capability", where));
                Optional<Param> amount = param(r, "amount", where);
                Optional<Param> currency = param(r, "currency", where);
                if (amount.isPresent() != currency.isPresent()) {
                    throw new IllegalArgumentException("name both amount and currency, or neither");
                }
                if (amount.isPresent()) {
                    route = route.amount(amount.get(), currency.get());
                }
                route = param(r, "dataRegion", where).map(route::dataRegion).orElse(route);
                list.add(param(r, "resource", where).map(route::resource).orElse(route));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith(where) ? e.getMessage() : where + ": " + e.getMessage());
            }
        }
        return new RouteActions(list);
    }

    /**
     * The first route {@code method} and {@code rawPath} match.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for a path with dot segments or an encoded slash, which
     *     the service behind could read as another path
     */
    public Optional<Matched> match(String method, String rawPath) {
        String[] segments = rawPath.startsWith("/") ? rawPath.substring(1).split("/", -1) : new String[] {rawPath};
        String[] decoded = new String[segments.length];
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.toLowerCase(Locale.ROOT).contains("%2f") || s.contains("%5C") || s.contains("%5c") || s.contains("\\")) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the path has an encoded slash or a backslash");
            }
            try {
                decoded[i] = URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the path has a malformed percent-encoding");
            }
            if (decoded[i].equals(".") || decoded[i].equals("..")) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the path has a dot segment; send the normalized path");
            }
        }
        for (Route r : routes) {
            if (!r.method().equals(method) && !(method.equals("HEAD") && r.method().equals("GET"))) {
                continue;
            }
            Optional<Map<String, String>> params = matches(r.segments(), decoded);
            if (params.isPresent()) {
                return Optional.of(new Matched(r, params.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<Map<String, String>> matches(String[] pattern, String[] path) {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.equals("*") && i == pattern.length - 1) {
                return Optional.of(params);
            }
            if (i >= path.length) {
                return Optional.empty();
            }
            if (p.length() > 2 && p.startsWith("{") && p.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(p.substring(1, p.length() - 1), path[i]);
            } else if (!p.equals(path[i])) {
                return Optional.empty();
            }
        }
        return pattern.length == path.length ? Optional.of(params) : Optional.empty();
    }

    /**
     * The action {@code request} asks for under {@code matched}.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} when a parameter the route declares is missing or malformed:
     *     an action that cannot be measured is not allowed
     */
    public static Action action(Matched matched, GateRequest request) {
        Route r = matched.route();
        Optional<JsonNode> body = Optional.empty();
        if (uses(r, Param.Source.BODY)) {
            try {
                body = Optional.of(Param.json(request.body()));
            } catch (ProblemException e) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "this route reads its action from a JSON body: "
                        + e.problems().get(0).detail());
            }
        }
        Action action = Action.of(r.capability());
        try {
            if (r.amount().isPresent()) {
                action = action.amount(required(r.amount().get(), "amount", request, matched, body),
                        required(r.currency().get(), "currency", request, matched, body));
            }
            if (r.dataRegion().isPresent()) {
                action = action.dataRegion(required(r.dataRegion().get(), "dataRegion", request, matched, body));
            }
            if (r.resource().isPresent()) {
                action = action.resource(required(r.resource().get(), "resource", request, matched, body));
            }
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the action's parameters are malformed: " + e.getMessage());
        }
        return action;
    }

    private static String required(Param p, String what, GateRequest request, Matched matched, Optional<JsonNode> body) {
        String v = p.read(request, matched.pathParams(), body).orElseThrow(() -> new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                "this route needs the action's " + what + " at " + p + "; send it"));
        if (v.isEmpty() || v.length() > 512) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the action's " + what + " at " + p + " must be 1 to 512 characters");
        }
        return v;
    }

    private static boolean uses(Route r, Param.Source source) {
        return r.amount().map(Param::source).filter(source::equals).isPresent()
                || r.currency().map(Param::source).filter(source::equals).isPresent()
                || r.dataRegion().map(Param::source).filter(source::equals).isPresent()
                || r.resource().map(Param::source).filter(source::equals).isPresent();
    }

    private static String text(JsonNode r, String name, String where) {
        JsonNode v = r.get(name);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + "." + name + " must be a non-empty string");
        }
        return v.asText();
    }

    private static Optional<Param> param(JsonNode r, String name, String where) {
        JsonNode v = r.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + "." + name + " must be a string such as body:/amount/value");
        }
        return Optional.of(Param.parse(v.asText()));
    }
}
