// Mercado Pago's official Go SDK (github.com/mercadopago/sdk-go) as a checkout calls the
// orchestrator. Driven by test/clients/sdk-clients.e2e-spec.ts, and the example docs/clients.md
// shows:
//
//	.tools/sdk-go/mercadopago-go <api-url> <token> <operation> <json-arguments>
//
// It prints one JSON line: status, body, error (the SDK's error type, if any) and locked.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mercadopago/sdk-go/pkg/config"
	"github.com/mercadopago/sdk-go/pkg/mperror"
	"github.com/mercadopago/sdk-go/pkg/order"
)

const mercadoPago = "https://api.mercadopago.com"

// docs/api.md, "What a client should do": wait Retry-After, then the same request with the same
// key; bounded, so a run that never finishes ends the loop with its last 423.
const maxLockedAnswers = 10

type idempotencyKey struct{}

// WithIdempotencyKey gives a call its payment attempt's key. The SDK has no option for one: it
// sets a random X-Idempotency-Key on every write, and only the requester below can replace it.
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKey{}, key)
}

// OrchestratorRequester is the SDK's pluggable HTTP client (config.WithHTTPClient): the SDK's URLs
// are constants, so it sends each request to the orchestrator instead of Mercado Pago, with the
// caller's idempotency key in place of the SDK's random one, once (the SDK's default requester
// retries 5xx and network errors itself; retries here are the caller's, with the same key).
type OrchestratorRequester struct {
	BaseURL *url.URL
	HTTP    *http.Client
	// LastStatus is the status of the last answer: the SDK returns only the decoded body on success.
	LastStatus int
}

func (r *OrchestratorRequester) Do(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme+"://"+req.URL.Host != mercadoPago {
		return nil, fmt.Errorf("not a Mercado Pago URL: %s", req.URL)
	}
	sent := req.Clone(req.Context())
	sent.URL.Scheme, sent.URL.Host, sent.Host = r.BaseURL.Scheme, r.BaseURL.Host, ""
	if req.Method != http.MethodGet {
		key, ok := req.Context().Value(idempotencyKey{}).(string)
		if !ok || key == "" {
			// The SDK's own key is new on every call: a retry with it would be a second payment.
			return nil, errors.New("a write needs its payment attempt's key: WithIdempotencyKey(ctx, key)")
		}
		sent.Header.Set("X-Idempotency-Key", key)
	}
	res, err := r.HTTP.Do(sent)
	if err == nil {
		r.LastStatus = res.StatusCode
	}
	return res, err
}

type answer struct {
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
	Error  *string         `json:"error"`
	Locked int             `json:"locked"`
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 4 {
		return errors.New("usage: mercadopago-go <api-url> <token> <operation> <json-arguments>")
	}
	baseURL, err := url.Parse(args[0])
	if err != nil {
		return err
	}
	var arguments struct {
		Body    order.Request `json:"body"`
		OrderID string        `json:"order_id"`
		Key     string        `json:"key"`
	}
	if err := json.Unmarshal([]byte(args[3]), &arguments); err != nil {
		return err
	}
	requester := &OrchestratorRequester{BaseURL: baseURL, HTTP: &http.Client{Timeout: time.Minute}}
	cfg, err := config.New(args[1], config.WithHTTPClient(requester))
	if err != nil {
		return err
	}
	orders := order.NewClient(cfg)
	// One key per payment attempt, chosen by the checkout, for every retry of the attempt.
	ctx := WithIdempotencyKey(context.Background(), arguments.Key)
	var call func() (*order.Response, error)
	switch args[2] {
	case "create_order":
		call = func() (*order.Response, error) { return orders.Create(ctx, arguments.Body) }
	case "process_order":
		call = func() (*order.Response, error) { return orders.Process(ctx, arguments.OrderID) }
	default:
		return fmt.Errorf("unknown operation %s", args[2])
	}
	for locked := 0; ; locked++ {
		resource, err := call()
		var failed *mperror.ResponseError
		if err != nil && !errors.As(err, &failed) {
			return err
		}
		if err == nil || failed.StatusCode != http.StatusLocked || locked == maxLockedAnswers {
			return printAnswer(requester.LastStatus, resource, failed, locked)
		}
		// The SDK's ResponseError keeps the answer's headers.
		seconds, err := strconv.Atoi(failed.Headers.Get("Retry-After"))
		if err != nil {
			return fmt.Errorf("a 423 without a Retry-After in seconds: %w", err)
		}
		time.Sleep(time.Duration(seconds) * time.Second)
	}
}

// printAnswer prints the SDK's typed order, with the status the requester saw, or for a non-2xx
// answer the body the SDK's ResponseError keeps as its message.
func printAnswer(status int, resource *order.Response, failed *mperror.ResponseError, locked int) error {
	out := answer{Status: status, Locked: locked}
	if failed != nil {
		name := strings.TrimPrefix(fmt.Sprintf("%T", failed), "*")
		out.Error = &name
		out.Body = json.RawMessage(failed.Message)
		if !json.Valid(out.Body) {
			out.Body, _ = json.Marshal(failed.Message)
		}
	} else {
		body, err := json.Marshal(resource)
		if err != nil {
			return err
		}
		out.Body = body
	}
	line, err := json.Marshal(out)
	if err != nil {
		return err
	}
	fmt.Println(string(line))
	return nil
}
