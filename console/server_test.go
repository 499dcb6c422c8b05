package console

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lcngw/lcngw/attemptlog"
)

const testToken = "s3cret-admin-token"

// fakeOps is an in-memory registry, endpoint control and replayer.
type fakeOps struct {
	mu       sync.Mutex
	paused   map[string]bool
	replayed []ReplayRequest
}

func (f *fakeOps) Merchants(context.Context) ([]MerchantInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return []MerchantInfo{{VendorCode: "M1", Endpoints: []EndpointInfo{{Name: "main", Paused: f.paused["M1/main"]}}}}, nil
}

func (f *fakeOps) SetPaused(_ context.Context, m, e string, p bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.paused[m+"/"+e] = p
	return nil
}

func (f *fakeOps) Check(context.Context, string, string) (string, error) { return "answered 200", nil }

func (f *fakeOps) Replay(_ context.Context, r ReplayRequest) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.replayed = append(f.replayed, r)
	return max(len(r.Letters), 1), nil
}

func newTestServer(t *testing.T) (*httptest.Server, *fakeOps, *Store) {
	t.Helper()
	st := newStore(t)
	apply(t, st, attempt("M1", "main", "1001", 1, attemptlog.ResultRetry, 0), attempt("M1", "main", "1001", 2, attemptlog.ResultDelivered, 0))
	if err := st.Apply(t.Context(), &Batch{Dead: []DeadLetter{{Partition: 0, Offset: 5, DeadKind: "delivery", Merchant: "M1",
		Endpoint: "main", MessageID: "1002", Reason: "status_410", FailedAt: t0}}}); err != nil {
		t.Fatal(err)
	}
	ops := &fakeOps{paused: map[string]bool{}}
	srv, err := NewServer(ServerOptions{Store: st, Token: testToken, Directory: ops, Control: ops, Replayer: ops})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts, ops, st
}

func noRedirect(jar http.CookieJar) *http.Client {
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func TestAnonymousGetsNothing(t *testing.T) {
	ts, ops, _ := newTestServer(t)
	c := noRedirect(nil)
	for _, path := range []string{"/", "/search?q=1001", "/dead-letters", "/nowhere"} {
		res, err := c.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") || strings.Contains(string(body), "M1") {
			t.Errorf("GET %s: %d %s", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	for _, path := range []string{"/api/overview", "/api/search?q=1001", "/api/dead-letters"} {
		res, err := c.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("GET %s: %d", path, res.StatusCode)
		}
	}
	for _, path := range []string{"/dead-letters/replay", "/endpoints/action", "/logout"} {
		res, err := c.PostForm(ts.URL+path, url.Values{"one": {"0-5"}, "merchant": {"M1"}, "endpoint": {"main"}, "action": {"pause"}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("POST %s: %d", path, res.StatusCode)
		}
	}
	if len(ops.replayed) != 0 || len(ops.paused) != 0 {
		t.Fatal("an anonymous write went through")
	}
	res, err := c.PostForm(ts.URL+"/login", url.Values{"token": {"wrong"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized || len(res.Cookies()) != 0 {
		t.Fatalf("wrong token: %d, cookies %v", res.StatusCode, res.Cookies())
	}
}

// login logs a client in and returns it with the page's CSRF token.
func login(t *testing.T, ts *httptest.Server) (*http.Client, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := noRedirect(jar)
	res, err := c.PostForm(ts.URL+"/login", url.Values{"token": {testToken}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	page := get(t, c, ts.URL+"/")
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token on the page")
	}
	return c, m[1]
}

func get(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", u, res.StatusCode, b)
	}
	return string(b)
}

func TestLoggedInPages(t *testing.T) {
	ts, ops, _ := newTestServer(t)
	c, csrf := login(t, ts)
	if p := get(t, c, ts.URL+"/search?q=LIC-1001"); !strings.Contains(p, `data-message-id="1001"`) || strings.Count(p, `class="attempt `) != 2 {
		t.Fatalf("search page lacks the notification's two attempts:\n%s", p)
	}
	if p := get(t, c, ts.URL+"/dead-letters"); !strings.Contains(p, "status_410") {
		t.Fatal("dead letter not listed")
	}
	res, err := c.PostForm(ts.URL+"/dead-letters/replay", url.Values{"csrf": {csrf}, "one": {"0-5"}, "message_id": {"1002"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "q=1002") ||
		len(ops.replayed) != 1 || ops.replayed[0].Letters[0] != (LetterID{0, 5}) {
		t.Fatalf("replay: %d %s %+v", res.StatusCode, res.Header.Get("Location"), ops.replayed)
	}
	res, err = c.PostForm(ts.URL+"/endpoints/action", url.Values{"csrf": {csrf}, "merchant": {"M1"}, "endpoint": {"main"}, "action": {"pause"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if !ops.paused["M1/main"] {
		t.Fatal("endpoint not paused")
	}
	if p := get(t, c, ts.URL+"/"); !strings.Contains(p, `<span class="paused">paused</span>`) {
		t.Fatal("overview does not show the endpoint paused")
	}
}

func TestWritesNeedCSRFAndSameOrigin(t *testing.T) {
	ts, ops, _ := newTestServer(t)
	c, csrf := login(t, ts)
	post := func(form url.Values, origin string) int {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/endpoints/action", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
			req.Header.Set("Sec-Fetch-Site", "cross-site")
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	form := url.Values{"merchant": {"M1"}, "endpoint": {"main"}, "action": {"pause"}}
	if code := post(form, ""); code != http.StatusForbidden {
		t.Errorf("without CSRF token: %d", code)
	}
	form.Set("csrf", "forged")
	if code := post(form, ""); code != http.StatusForbidden {
		t.Errorf("wrong CSRF token: %d", code)
	}
	form.Set("csrf", csrf)
	if code := post(form, "https://evil.example"); code != http.StatusForbidden {
		t.Errorf("cross-site POST with the right token: %d", code)
	}
	if len(ops.paused) != 0 {
		t.Fatal("a refused write went through")
	}
	if code := post(form, ""); code != http.StatusSeeOther || !ops.paused["M1/main"] {
		t.Errorf("same-origin POST with the token: %d", code)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{"/search?q=1": "/search?q=1", "//evil.example": "/", "https://evil.example": "/", "/\\evil": "/", "": "/"} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

type brokenDirectory struct{}

func (brokenDirectory) Merchants(context.Context) ([]MerchantInfo, error) {
	return nil, context.DeadlineExceeded
}

func TestOverviewWithoutRegistry(t *testing.T) {
	ts, _, st := newTestServer(t)
	srv, err := NewServer(ServerOptions{Store: st, Token: testToken, Directory: brokenDirectory{}})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	c, _ := login(t, ts)
	p := get(t, c, ts.URL+"/")
	if !strings.Contains(p, `id="warning"`) || !strings.Contains(p, `data-endpoint="M1/main"`) {
		t.Fatalf("overview without the registry:\n%s", p)
	}
}

func TestReplaySelectionAndFilter(t *testing.T) {
	ts, ops, _ := newTestServer(t)
	c, csrf := login(t, ts)
	for _, form := range []url.Values{
		{"csrf": {csrf}, "id": {"0-5", "1-9"}},
		{"csrf": {csrf}, "filter": {"1"}, "merchant": {"M1"}, "since": {"2026-12-07T00:00"}},
		{"csrf": {csrf}}, // nothing selected
		{"csrf": {csrf}, "id": {"zero-5"}},
	} {
		res, err := c.PostForm(ts.URL+"/dead-letters/replay", form)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	if len(ops.replayed) != 2 {
		t.Fatalf("%d replays, want 2 (the bad forms refused): %+v", len(ops.replayed), ops.replayed)
	}
	if sel := ops.replayed[0].Letters; len(sel) != 2 || sel[1] != (LetterID{1, 9}) {
		t.Errorf("selection %+v", sel)
	}
	if f := ops.replayed[1]; len(f.Letters) != 0 || f.Merchant != "M1" || !f.Since.Equal(time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("filter %+v", f)
	}
}

func TestAPIWithBearerToken(t *testing.T) {
	ts, _, _ := newTestServer(t)
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/search?q=1001", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Notifications []struct {
			MessageID string `json:"message_id"`
			State     string `json:"state"`
			Attempts  []struct {
				Attempt    int   `json:"attempt"`
				DurationUS int64 `json:"duration_us"`
			} `json:"attempts"`
		} `json:"notifications"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("%d %v", res.StatusCode, err)
	}
	n := body.Notifications
	if len(n) != 1 || n[0].MessageID != "1001" || n[0].State != "delivered" || len(n[0].Attempts) != 2 || n[0].Attempts[1].DurationUS != 1000 {
		t.Fatalf("%+v", body)
	}
}
