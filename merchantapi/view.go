package merchantapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/registry"
)

// View is a merchant as the API returns it: the document without its
// secret, and the registry's state.
type View struct {
	// Merchant is the merchant document, every default spelt out, no
	// secret.
	Merchant json.RawMessage `json:"merchant"`
	// Revision counts the merchant's changes; send it back in If-Match.
	Revision uint64 `json:"revision"`
	// Updated is when it last changed.
	Updated time.Time `json:"updated"`
	// Paused lists the paused endpoints.
	Paused []string `json:"paused"`
	// KeyID names the key its secret is sealed under.
	KeyID string `json:"key_id"`
}

// Page is one page of a listing.
type Page struct {
	// Merchants are the merchants of the page.
	Merchants []View `json:"merchants"`
	// Next is the after parameter of the next page; empty on the last.
	Next string `json:"next,omitempty"`
}

// ProblemList is the body of a 422: every problem of a document.
type ProblemList struct {
	// Error summarises.
	Error string `json:"error"`
	// Problems lists each problem with its path.
	Problems []Problem `json:"problems"`
}

// Problem is one problem of a document.
type Problem struct {
	// Path locates it, e.g. "endpoints[0].url".
	Path string `json:"path"`
	// Message states the rule broken.
	Message string `json:"message"`
}

// CheckResult is the answer of an endpoint check.
type CheckResult struct {
	// Endpoint is the endpoint's name.
	Endpoint string `json:"endpoint"`
	// OK is true when the URL answered 200.
	OK bool `json:"ok"`
	// Error says why it failed; it never shows the URL's path or query.
	Error string `json:"error,omitempty"`
}

func viewOf(e *registry.Entry) (View, error) {
	doc, err := config.MarshalDocument(&e.Merchant)
	if err != nil {
		return View{}, err
	}
	paused := e.Paused
	if paused == nil {
		paused = []string{}
	}
	return View{Merchant: doc, Revision: e.Revision, Updated: e.Updated, Paused: paused, KeyID: e.KeyID}, nil
}

func writeEntry(w http.ResponseWriter, status int, e *registry.Entry) {
	v, err := viewOf(e)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "rendering the merchant failed")
		return
	}
	w.Header().Set("ETag", etag(e.Revision))
	writeJSON(w, status, v)
}

func etag(rev uint64) string { return `"` + strconv.FormatUint(rev, 10) + `"` }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeProblems(w http.ResponseWriter, msg string, ps []Problem) {
	writeJSON(w, http.StatusUnprocessableEntity, ProblemList{Error: msg, Problems: ps})
}
