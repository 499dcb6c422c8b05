package console

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

//go:embed web/templates/*.html
var templateFS embed.FS

//go:embed web/static
var staticFS embed.FS

// ServerOptions configures a Server. Store and Token are required;
// Directory, Control and Replayer are optional (their parts of the page
// are then hidden).
type ServerOptions struct {
	Store *Store
	// Token is the admin token a login must present.
	Token     string
	Directory Directory
	Control   EndpointControl
	Replayer  Replayer
	Logger    *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Server is the console's HTTP handler.
type Server struct {
	opts     ServerOptions
	sessions *sessions
	pages    map[string]*template.Template
	handler  http.Handler
}

// NewServer returns the console's handler.
func NewServer(o ServerOptions) (*Server, error) {
	if o.Store == nil || o.Token == "" {
		return nil, errors.New("console: a server needs the view and an admin token")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{opts: o, sessions: newSessions(o.Token, o.Now), pages: pages}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP serves the console.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// routes builds the mux: static assets and the login form are public;
// everything else needs a session (or, for /api/, the bearer token), and
// every unsafe request is checked for cross-origin requests.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "web/static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.page(s.logout))
	mux.HandleFunc("GET /{$}", s.page(s.overview))
	mux.HandleFunc("GET /search", s.page(s.search))
	mux.HandleFunc("GET /dead-letters", s.page(s.deadLetters))
	mux.HandleFunc("POST /dead-letters/replay", s.page(s.replay))
	mux.HandleFunc("POST /endpoints/action", s.page(s.endpointAction))
	mux.HandleFunc("GET /api/overview", s.api(s.apiOverview))
	mux.HandleFunc("GET /api/search", s.api(s.apiSearch))
	mux.HandleFunc("GET /api/dead-letters", s.api(s.apiDeadLetters))
	mux.HandleFunc("/", s.page(func(w http.ResponseWriter, r *http.Request, _ *request) {
		http.NotFound(w, r)
	}))
	cop := http.NewCrossOriginProtection()
	return securityHeaders(cop.Handler(mux))
}

// request is a request with its session.
type request struct {
	id   string
	sess session
}

// page wraps a handler that needs a logged-in browser: without a session
// it redirects to the login form (GET) or answers 401; a POST must carry
// the session's CSRF token.
func (s *Server) page(h func(http.ResponseWriter, *http.Request, *request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, sess, ok := s.sessions.lookup(r)
		if !ok {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			http.Error(w, "login required", http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost && !csrfOK(r, sess) {
			http.Error(w, "missing or wrong CSRF token", http.StatusForbidden)
			return
		}
		h(w, r, &request{id: id, sess: sess})
	}
}

// api wraps a JSON handler: a session or the bearer token, else 401.
func (s *Server) api(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, _, ok := s.sessions.lookup(r); !ok && !s.sessions.bearer(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="lcngw console"`)
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "login required"})
			return
		}
		h(w, r)
	}
}

// securityHeaders forbids framing, inline and foreign scripts and
// caching of pages.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// loginForm shows the login page.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "login", map[string]any{"Next": safeNext(r.URL.Query().Get("next"))})
}

// login checks the admin token and starts a session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if !s.sessions.tokenOK(r.PostFormValue("token")) {
		s.opts.Logger.Warn("console: failed login", "remote", r.RemoteAddr)
		s.render(w, http.StatusUnauthorized, "login", map[string]any{"Error": "Wrong token.", "Next": safeNext(r.PostFormValue("next"))})
		return
	}
	id, _ := s.sessions.create()
	setCookie(w, r, id, int(sessionTTL.Seconds()))
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// logout ends the session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, q *request) {
	s.sessions.end(q.id)
	setCookie(w, r, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps a post-login destination on this site.
func safeNext(next string) string {
	if len(next) < 1 || next[0] != '/' || (len(next) > 1 && (next[1] == '/' || next[1] == '\\')) {
		return "/"
	}
	return next
}

func itoa(n int) string { return strconv.Itoa(n) }
