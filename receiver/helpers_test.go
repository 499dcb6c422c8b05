package receiver_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lcngw/lcngw/internal/fixture"
	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
)

// docKey is the key of every vector in the protocol notes (§8).
const docKey = "AABBCCDDEEFF"

// testKey signs the platform payloads, whose real key is unpublished.
var testKey = []byte("lcngw-test-secret-0123456789")

// fixedNow is the clock of tests that check exact receipts.
func fixedNow(s string) func() time.Time {
	t, err := time.Parse(signer.ReceiptDateLayout, s)
	if err != nil {
		panic(err)
	}
	return func() time.Time { return t }
}

// sign returns the form body of fs signed with key for algs.
func sign(key []byte, fs signer.Fields, algs signer.Algorithms) []byte {
	return signer.New(key).AppendSignedForm(nil, fs, algs)
}

// lcnFields is a small LCN notification (the V5/D2 receipt fields plus
// identification).
func lcnFields(messageID string) signer.Fields {
	var fs signer.Fields
	fs.Add("FIRST_NAME", "Jürgen")
	fs.Add("EMAIL", "jm@example.com")
	fs.Add("LICENSE_CODE", "3C343D0FAF")
	fs.Add("EXPIRATION_DATE", "2005-03-03")
	fs.Add("VENDOR_CODE", "250111206876")
	fs.Add("MESSAGE_ID", messageID)
	return fs
}

// d4Fields is vector D4 of the protocol notes (an LCN-style payload).
func d4Fields() signer.Fields { return fixture.D4() }

// d5Body is vector D5 (multi-product IPN) without signatures.
const d5Body = fixture.D5Body

// Published signatures of D4 and D5 under docKey (§8.2).
var (
	d4Sigs = [3]string{"aa7d1ae1aeb9cbc1755a84b69b6b2704",
		"2222fa907eb2cccaac9b28c4d2ad689b049848591c7573ceb8d453333b8be9d1",
		"f0b30eb2898db3fbfff8061bad4400a4aa423300c8f0450cb3c8340411602365"}
	d5Sigs = [3]string{"b4396413e206955b65547d0239838e29",
		"5ab256864ae302db468a193d43b07bd0727ecde35bc73859a90c92f3a556ae26",
		"12def03aced910880928e2bbd9fc8ba25f07fa3054abfe7759e7200363e00b98"}
)

// withSigs appends the three signature fields, as hex strings, to a body.
func withSigs(body string, sigs [3]string) []byte {
	return []byte(body + "&HASH=" + sigs[0] + "&SIGNATURE_SHA2_256=" + sigs[1] + "&SIGNATURE_SHA3_256=" + sigs[2])
}

// platformFields reads the real platform IPN (§8.3) in its wire order.
func platformFields(t testing.TB) signer.Fields {
	t.Helper()
	data, err := os.ReadFile("testdata/ipn_platform.json")
	if err != nil {
		t.Fatal(err)
	}
	fs, err := orderedJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	return fs.Unsigned()
}

// orderedJSON decodes a flat JSON object of strings and string arrays
// without losing key order.
func orderedJSON(data []byte) (signer.Fields, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var fs signer.Fields
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		name := tok.(string)
		var s string
		if json.Unmarshal(raw, &s) == nil {
			fs.Add(name, s)
			continue
		}
		var arr []string
		if err := json.Unmarshal(raw, &arr); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		fs.AddArray(name, arr...)
	}
	return fs, nil
}

// adapter sends one request through a middleware built from cfg, with
// handler as the application, and returns status, Content-Type and body.
type adapter struct {
	name  string
	build func(cfg receiver.Config, handler func(n *receiver.Notification) int) func(*http.Request) response
}

type response struct {
	status      int
	contentType string
	allow       string
	body        string
}

// adapters returns the Fiber and the net/http adapter. handler returns
// the status the application answers (0 means it writes nothing).
func adapters() []adapter {
	return []adapter{
		{name: "fiber", build: func(cfg receiver.Config, handler func(*receiver.Notification) int) func(*http.Request) response {
			// The app's own limit is above the middleware's, so that the
			// middleware's 413 is what is tested.
			app := fiber.New(fiber.Config{DisableStartupMessage: true, BodyLimit: 32 << 20})
			app.All("/*", receiver.New(cfg), func(c *fiber.Ctx) error {
				if st := handler(receiver.FromFiber(c)); st != 0 {
					return c.Status(st).SendString(http.StatusText(st))
				}
				return nil
			})
			return func(r *http.Request) response {
				resp, err := app.Test(r, -1)
				if err != nil {
					panic(err)
				}
				return readResponse(resp)
			}
		}},
		{name: "nethttp", build: func(cfg receiver.Config, handler func(*receiver.Notification) int) func(*http.Request) response {
			h := receiver.Middleware(cfg)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if st := handler(receiver.FromContext(r.Context())); st != 0 {
					http.Error(w, http.StatusText(st), st)
				}
			}))
			return func(r *http.Request) response {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				return readResponse(rec.Result())
			}
		}},
	}
}

func readResponse(resp *http.Response) response {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"),
		allow: resp.Header.Get("Allow"), body: string(b)}
}

func post(body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// hasReceipt reports whether a response body looks like a read receipt.
func hasReceipt(body string) bool {
	b := strings.ToLower(body)
	return strings.Contains(b, "<sig") || strings.Contains(b, "<epayment")
}

// ok is an application that always succeeds and writes nothing.
func ok(*receiver.Notification) int { return 0 }
