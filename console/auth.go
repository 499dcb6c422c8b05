package console

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"time"
)

const (
	sessionCookie = "lcngw_console"
	sessionTTL    = 12 * time.Hour
	maxSessions   = 1024
)

// session is one logged-in browser.
type session struct {
	csrf    string
	expires time.Time
}

// sessions holds the logged-in browsers in memory; a console restart logs
// everyone out. Bounded: the oldest session goes when the table is full.
type sessions struct {
	token [sha256.Size]byte // SHA-256 of the admin token
	now   func() time.Time
	mu    sync.Mutex
	byID  map[string]session
}

func newSessions(token string, now func() time.Time) *sessions {
	return &sessions{token: sha256.Sum256([]byte(token)), now: now, byID: map[string]session{}}
}

// tokenOK compares token with the admin token in constant time.
func (s *sessions) tokenOK(token string) bool {
	h := sha256.Sum256([]byte(token))
	return token != "" && subtle.ConstantTimeCompare(h[:], s.token[:]) == 1
}

// create starts a session and returns its id.
func (s *sessions) create() (string, session) {
	id, sess := randomID(), session{csrf: randomID(), expires: s.now().Add(sessionTTL)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.byID) >= maxSessions {
		s.evict()
	}
	s.byID[id] = sess
	return id, sess
}

// evict drops expired sessions, or the one closest to expiry if none is.
func (s *sessions) evict() {
	now := s.now()
	oldest, first := "", time.Time{}
	for id, x := range s.byID {
		if now.After(x.expires) {
			delete(s.byID, id)
		} else if oldest == "" || x.expires.Before(first) {
			oldest, first = id, x.expires
		}
	}
	if len(s.byID) >= maxSessions {
		delete(s.byID, oldest)
	}
}

// lookup returns the session of r's cookie, if valid.
func (s *sessions) lookup(r *http.Request) (string, session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", session{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := s.byID[c.Value]
	if !ok || s.now().After(x.expires) {
		delete(s.byID, c.Value)
		return "", session{}, false
	}
	return c.Value, x, true
}

// end forgets a session.
func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, id)
}

// bearer reports whether r carries the admin token as a bearer token (for
// API clients without a browser session).
func (s *sessions) bearer(r *http.Request) bool {
	v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && s.tokenOK(v)
}

// csrfOK compares the form's CSRF token with the session's.
func csrfOK(r *http.Request, x session) bool {
	v := r.PostFormValue("csrf")
	return v != "" && subtle.ConstantTimeCompare([]byte(v), []byte(x.csrf)) == 1
}

func randomID() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// setCookie sends the session cookie: not readable by scripts, sent to
// this site only.
func setCookie(w http.ResponseWriter, r *http.Request, id string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
}
