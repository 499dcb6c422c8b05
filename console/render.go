package console

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"time"
)

// pageNames are the templates under web/templates besides layout.html.
var pageNames = []string{"login", "overview", "search", "dead"}

// parsePages parses each page with the layout.
func parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"when":    when,
		"ago":     ago,
		"percent": func(f float64) string { return fmt.Sprintf("%.1f%%", f*100) },
		"ms":      func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) },
		"share": func(part, a, b, c int) int {
			if a+b+c == 0 {
				return 0
			}
			return part * 100 / (a + b + c)
		},
	}
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "web/templates/layout.html", "web/templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("console: parse page %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// when formats t in UTC, or "–" for the zero time.
func when(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

// ago formats how long before now t was.
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return now.Sub(t).Truncate(time.Second).String() + " ago"
}

// pageData is what every page's layout gets.
type pageData struct {
	Page string
	CSRF string
	Data any
}

// renderPage renders a logged-in page.
func (s *Server) renderPage(w http.ResponseWriter, q *request, name string, data any) {
	s.render(w, http.StatusOK, name, pageData{Page: name, CSRF: q.sess.csrf, Data: data})
}

// render executes a page into a buffer first, so that a template error
// answers 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	if _, ok := data.(pageData); !ok {
		data = pageData{Page: name, Data: data}
	}
	var buf bytes.Buffer
	if err := s.pages[name].Execute(&buf, data); err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
}
