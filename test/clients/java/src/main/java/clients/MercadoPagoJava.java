package clients;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.mercadopago.MercadoPagoConfig;
import com.mercadopago.client.order.OrderClient;
import com.mercadopago.client.order.OrderCreateRequest;
import com.mercadopago.core.MPRequestOptions;
import com.mercadopago.exceptions.MPApiException;
import com.mercadopago.net.Headers;
import com.mercadopago.net.MPHttpClient;
import com.mercadopago.net.MPRequest;
import com.mercadopago.net.MPResource;
import com.mercadopago.net.MPResponse;
import com.mercadopago.exceptions.MPException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Mercado Pago's official Java SDK (com.mercadopago:sdk-java) as a checkout calls the orchestrator.
 * Driven by test/clients/sdk-clients.e2e-spec.ts, and the example docs/clients.md shows:
 * {@code java -cp … clients.MercadoPagoJava <api-url> <token> <operation> <json-arguments>}. It
 * prints one JSON line: status, body, error (the SDK's exception class, if any) and locked.
 */
public final class MercadoPagoJava {
  private static final String MERCADO_PAGO = "https://api.mercadopago.com";
  /** docs/api.md, "What a client should do": wait Retry-After, then the same request with the same key; bounded. */
  private static final int MAX_LOCKED_ANSWERS = 10;
  /** The SDK's own naming of request fields, so a JSON body reads into its request classes. */
  private static final Gson GSON = new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).create();

  /**
   * The SDK's pluggable HTTP client: BASE_URL is a compile-time constant, and the SDK's default
   * client speaks https only, so this one sends each request itself, to the orchestrator, once
   * (retries are the caller's, with the same key). As the default client does, it answers a
   * non-2xx status with MPApiException, which keeps the status, headers and body.
   */
  static final class OrchestratorHttpClient implements MPHttpClient {
    /** Headers java.net.http sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private final String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    OrchestratorHttpClient(String baseUrl) {
      this.baseUrl = baseUrl;
    }

    @Override
    public MPResponse send(MPRequest request) throws MPException, MPApiException {
      if (!request.getUri().startsWith(MERCADO_PAGO)) throw new MPException("not a Mercado Pago URL: " + request.getUri());
      if (request.getQueryParams() != null && !request.getQueryParams().isEmpty()) throw new MPException("query parameters are not needed by the writes this client sends");
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(baseUrl + request.getUri().substring(MERCADO_PAGO.length())))
              .timeout(Duration.ofMillis(request.getSocketTimeout() > 0 ? request.getSocketTimeout() : 60_000))
              .method(request.getMethod().name(), request.getPayload() == null ? BodyPublishers.noBody() : BodyPublishers.ofString(request.getPayload().toString()));
      // The SDK puts its own random X-Idempotency-Key in every write and adds a custom header
      // beside it, lowercased, instead of replacing it: both would be sent. The caller's key wins.
      boolean callerKey = request.getHeaders().containsKey(Headers.IDEMPOTENCY_KEY.toLowerCase(Locale.ROOT));
      request.getHeaders().forEach((name, value) -> {
        if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT)) || (callerKey && name.equals(Headers.IDEMPOTENCY_KEY))) return;
        builder.header(name, value);
      });
      try {
        HttpResponse<String> answer = http.send(builder.build(), BodyHandlers.ofString());
        MPResponse response = new MPResponse(answer.statusCode(), answer.headers().map(), answer.body());
        if (answer.statusCode() > 299) throw new MPApiException("Api error. Check response for details", response);
        return response;
      } catch (IOException exception) {
        throw new MPException(exception);
      } catch (InterruptedException exception) {
        Thread.currentThread().interrupt();
        throw new MPException(exception);
      }
    }
  }

  private interface Call {
    MPResource send() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String apiUrl = args[0];
    String operation = args[2];
    JsonObject arguments = JsonParser.parseString(args[3]).getAsJsonObject();
    MercadoPagoConfig.setAccessToken(args[1]);
    MPHttpClient http = new OrchestratorHttpClient(apiUrl);
    // One key per payment attempt, chosen by the checkout: without one the SDK sends a random key.
    MPRequestOptions options = MPRequestOptions.builder().customHeaders(Map.of(Headers.IDEMPOTENCY_KEY, arguments.get("key").getAsString())).build();
    Call call =
        switch (operation) {
          case "create_order" -> () -> new OrderClient(http).create(GSON.fromJson(arguments.get("body"), OrderCreateRequest.class), options);
          case "process_order" -> () -> new OrderClient(http).process(arguments.get("order_id").getAsString(), options);
          default -> throw new IllegalArgumentException("unknown operation " + operation);
        };
    for (int locked = 0; ; locked++) {
      MPResponse response;
      String error = null;
      try {
        response = call.send().getResponse();
      } catch (MPApiException exception) {
        response = exception.getApiResponse();
        error = exception.getClass().getSimpleName();
      }
      if (!stillWorking(response) || locked == MAX_LOCKED_ANSWERS) {
        JsonObject answer = new JsonObject();
        answer.addProperty("status", response.getStatusCode());
        answer.add("body", JsonParser.parseString(response.getContent()));
        answer.addProperty("error", error);
        answer.addProperty("locked", locked);
        System.out.println(answer);
        return;
      }
      Thread.sleep(Integer.parseInt(header(response, "Retry-After")) * 1_000L);
    }
  }

  /** Orders' 423 resource_locked, or Wallet Connect's 409 with cause 401001 (docs/api.md). */
  private static boolean stillWorking(MPResponse response) {
    if (response.getStatusCode() == 423) return true;
    if (response.getStatusCode() != 409) return false;
    JsonObject body = JsonParser.parseString(response.getContent()).getAsJsonObject();
    return body.has("cause") && body.get("cause").toString().contains("\"401001\"");
  }

  private static String header(MPResponse response, String name) {
    for (Map.Entry<String, List<String>> entry : response.getHeaders().entrySet()) {
      if (name.equalsIgnoreCase(entry.getKey())) return entry.getValue().get(0);
    }
    throw new IllegalStateException("no " + name + " header in a " + response.getStatusCode() + " answer");
  }
}
