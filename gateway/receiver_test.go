package gateway_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lcngw/lcngw/signer"
)

// receiver is a merchant endpoint: it verifies every notification with the
// merchant's key, records it, and answers with a read receipt, unless
// behave says otherwise (a status to answer, or -1 to hang until the
// request is cancelled).
type receiver struct {
	srv       *httptest.Server
	behave    func(path, id string, seen int) int
	answer    func(w http.ResponseWriter, seen int) bool
	mu        sync.Mutex
	bodies    map[string][][]byte // path + " " + kind:MESSAGE_ID → every verified body
	delivered map[string]int      // same key → receipts answered
	requests  atomic.Int64
	invalid   atomic.Int64
}

func newReceiver(t testing.TB, behave func(path, id string, seen int) int) *receiver {
	r := &receiver{behave: behave, bodies: map[string][][]byte{}, delivered: map[string]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	r.requests.Add(1)
	body, _ := io.ReadAll(req.Body)
	fs, err := signer.ParseForm(body)
	s := signer.New(testKey)
	var res signer.Result
	if err == nil {
		res, err = s.Verify(fs, signer.Policy{})
	}
	if err != nil {
		r.invalid.Add(1)
		http.Error(w, "bad signature", http.StatusForbidden)
		return
	}
	kind := signer.DetectKind(fs)
	mid, _ := fs.Get("MESSAGE_ID")
	key := req.URL.Path + " " + kind.String() + ":" + mid
	r.mu.Lock()
	seen := len(r.bodies[key])
	r.bodies[key] = append(r.bodies[key], body)
	r.mu.Unlock()
	if r.answer != nil && r.answer(w, seen) {
		return
	}
	if r.behave != nil {
		switch status := r.behave(req.URL.Path, kind.String()+":"+mid, seen); {
		case status < 0:
			<-req.Context().Done()
			return
		case status > 0:
			http.Error(w, "not now", status)
			return
		}
	}
	receipt, err := s.AppendReceipt(nil, kind, fs, res.Strongest, signer.ReceiptDate(time.Now()))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	r.mu.Lock()
	r.delivered[key]++
	r.mu.Unlock()
	_, _ = w.Write(receipt)
}

// newReceiverFunc returns a receiver whose answer function may write the
// whole response itself (reporting true).
func newReceiverFunc(t testing.TB, answer func(w http.ResponseWriter, seen int) bool) *receiver {
	r := newReceiver(t, nil)
	r.answer = answer
	return r
}

// url returns the URL of path on the receiver.
func (r *receiver) url(path string) string { return r.srv.URL + path }

// deliveredCount returns how many distinct notifications path delivered.
func (r *receiver) deliveredCount(path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for k := range r.delivered {
		if strings.HasPrefix(k, path+" ") {
			n++
		}
	}
	return n
}

// got returns every body path received for a notification.
func (r *receiver) got(path string, k signer.Kind, mid string) [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bodies[path+" "+k.String()+":"+mid]
}

// wasDelivered reports whether path answered a receipt for a notification.
func (r *receiver) wasDelivered(path string, k signer.Kind, mid string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.delivered[path+" "+k.String()+":"+mid] > 0
}
