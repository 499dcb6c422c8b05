package cli

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

func TestConsoleNeedsAToken(t *testing.T) {
	t.Setenv("LCNGW_ADMIN_TOKEN", "")
	path := serveConfig(t, []string{"127.0.0.1:1"}, "http://127.0.0.1:1/")
	code, _, errs := run(t, "", "console", "--config", path, "--listen", "127.0.0.1:0")
	if code != exitInvalid || !strings.Contains(errs, "admin.token_env") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

// TestConsoleServes starts "lcngw console" on an in-process Kafka: the
// page asks for a login, and a cross-site login is refused.
func TestConsoleServes(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.AllowAutoTopicCreation())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	t.Setenv("LCNGW_ADMIN_TOKEN", "console-cli-token")
	path := serveConfig(t, c.ListenAddrs(), "http://127.0.0.1:1/")
	ctx, cancel := context.WithCancel(context.Background())
	out, errb := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"console", "--config", path, "--listen", "127.0.0.1:0"}, Stdio{In: strings.NewReader(""), Out: out, Err: errb})
	}()
	re := regexp.MustCompile(`console on (http://\S+)/`)
	var base string
	for deadline := time.Now().Add(time.Minute); base == ""; {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("no URL printed; stderr: %s", errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("GET /: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(url.Values{"token": {"console-cli-token"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden || len(res.Cookies()) != 0 {
		t.Fatalf("cross-site login: %d, cookies %v", res.StatusCode, res.Cookies())
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if strings.Contains(out.String()+errb.String(), "console-cli-token") {
		t.Fatal("the token was printed")
	}
}
