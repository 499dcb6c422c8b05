package delivery

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestCheckEndpoint(t *testing.T) {
	var targetHits atomic.Int64
	target := newServer(t, counted(&targetHits, answer(http.StatusOK, "")))
	var method, ua atomic.Value
	ok := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		method.Store(r.Method)
		ua.Store(r.Header.Get("User-Agent"))
		w.WriteHeader(http.StatusOK)
	})
	c := NewClient(ClientConfig{Guard: Guard{AllowLoopback: true}, UserAgent: "lcngw/test"})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Check(ctx, ok.URL+"/ipn?key=secret"); err != nil {
		t.Fatalf("Check = %v", err)
	}
	if method.Load() != http.MethodGet || ua.Load() != "lcngw/test" {
		t.Errorf("check sent %v with User-Agent %v", method.Load(), ua.Load())
	}
	if err := NewClient(loopbackConfig()).Check(ctx, ok.URL); err != nil || !strings.HasPrefix(ua.Load().(string), "lcngw/") {
		t.Errorf("Check = %v (User-Agent %v)", err, ua.Load())
	}
	for name, h := range map[string]http.HandlerFunc{
		"201":      answer(http.StatusCreated, ""),
		"404":      answer(http.StatusNotFound, ""),
		"405":      answer(http.StatusMethodNotAllowed, ""),
		"500":      answer(http.StatusInternalServerError, ""),
		"redirect": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, target.URL, http.StatusFound) },
	} {
		srv := newServer(t, h)
		err := c.Check(ctx, srv.URL+"/x?key=secret")
		if _, isStatus := errors.AsType[*StatusError](err); !isStatus || strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: Check = %v", name, err)
		}
	}
	if targetHits.Load() != 0 {
		t.Error("check followed a redirect")
	}
	blocked := NewClient(ClientConfig{})
	if err := blocked.Check(ctx, ok.URL+"/x?key=secret"); !errors.Is(err, ErrBlocked) || strings.Contains(err.Error(), "secret") {
		t.Errorf("loopback check = %v", err)
	}
	for _, u := range []string{"", "ftp://example.com", "example.com/path"} {
		if err := c.Check(ctx, u); !errors.Is(err, errInvalidURL) {
			t.Errorf("Check(%q) = %v", u, err)
		}
	}
}
