package merchantapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/lcngw/lcngw/config"
)

// authorized reports whether r carries the bearer token. Both sides are
// hashed first, so the comparison takes the same time whatever the
// lengths.
func authorized(token config.Secret, r *http.Request) bool {
	scheme, presented, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || presented == "" {
		return false
	}
	want := token.Reveal()
	defer clear(want)
	a, b := sha256.Sum256([]byte(strings.TrimSpace(presented))), sha256.Sum256(want)
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// guard answers 403 while no token is configured and 401 without the
// token, and calls next otherwise.
func (a *API) guard(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if a.opts.Token.IsZero() {
			writeError(w, http.StatusForbidden, "the merchant API is off: set admin.token_env or admin.token_file")
			return
		}
		if !authorized(a.opts.Token, r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="lcngw"`)
			writeError(w, http.StatusUnauthorized, "a valid bearer token is required")
			return
		}
		next(w, r)
	})
}
