package console

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// endpointRow is one line of the overview's endpoint table.
type endpointRow struct {
	EndpointStats
	Known   bool   `json:"known"` // in the merchant registry
	Paused  bool   `json:"paused"`
	Breaker string `json:"breaker"`
}

// overviewData is what the overview page and API show.
type overviewData struct {
	Now       time.Time
	Totals    []Totals
	Endpoints []endpointRow
	Chart     chart
	Actions   bool
	Message   string
	Warning   string
}

// errRegistry: the Directory failed; the overview shows the view alone.
var errRegistry = errors.New("console: merchant registry unavailable")

func (s *Server) overviewData(r *http.Request) (*overviewData, error) {
	ctx := r.Context()
	now := s.opts.Now().UTC()
	stats, err := s.opts.Store.Endpoints(ctx, now.Add(-time.Hour))
	if err != nil {
		return nil, err
	}
	totals, err := s.opts.Store.Totals(ctx)
	if err != nil {
		return nil, err
	}
	points, err := s.opts.Store.Series(ctx, r.URL.Query().Get("merchant"), now.Add(-59*time.Minute), now)
	if err != nil {
		return nil, err
	}
	rows, err := s.endpointRows(r, stats)
	d := &overviewData{Now: now, Totals: totals, Endpoints: rows, Chart: newChart(points, 600, 120),
		Actions: s.opts.Control != nil, Message: r.URL.Query().Get("msg")}
	if errors.Is(err, errRegistry) {
		d.Warning, err = "The merchant registry did not answer: paused states and endpoints without attempts are not shown.", nil
	}
	return d, err
}

// endpointRows joins the view's statistics with the registry's endpoints
// (an endpoint without attempts yet still shows).
func (s *Server) endpointRows(r *http.Request, stats []EndpointStats) ([]endpointRow, error) {
	byKey := map[endpointKey]int{}
	rows := make([]endpointRow, 0, len(stats))
	for _, st := range stats {
		byKey[endpointKey{st.Merchant, st.Endpoint}] = len(rows)
		rows = append(rows, endpointRow{EndpointStats: st, Breaker: breakerOf(st.LastReason)})
	}
	if s.opts.Directory == nil {
		return rows, nil
	}
	merchants, err := s.opts.Directory.Merchants(r.Context())
	if err != nil { // show what the view knows, and say what is missing
		s.opts.Logger.Warn("console: merchant registry unavailable", "err", err)
		return rows, errRegistry
	}
	for _, m := range merchants {
		for _, e := range m.Endpoints {
			i, ok := byKey[endpointKey{m.VendorCode, e.Name}]
			if !ok {
				i = len(rows)
				rows = append(rows, endpointRow{EndpointStats: EndpointStats{Merchant: m.VendorCode, Endpoint: e.Name}, Breaker: "closed"})
			}
			rows[i].Known, rows[i].Paused = true, e.Paused
		}
	}
	slices.SortFunc(rows, func(a, b endpointRow) int {
		return cmp.Or(cmp.Compare(a.Merchant, b.Merchant), cmp.Compare(a.Endpoint, b.Endpoint))
	})
	return rows, nil
}

// breakerOf tells the endpoint's breaker state from its last attempt.
func breakerOf(lastReason string) string {
	if lastReason == "circuit_open" {
		return "open"
	}
	return "closed"
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request, q *request) {
	d, err := s.overviewData(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	s.renderPage(w, q, "overview", d)
}

// searchData is what the search page shows.
type searchData struct {
	Query         Query
	Since, Until  string
	Results       []Notification
	Searched      bool
	Replayed      string
	ParseProblems []string
}

// queryOf reads the search form.
func queryOf(r *http.Request) (Query, []string) {
	v := r.URL.Query()
	q := Query{Text: v.Get("q"), Merchant: v.Get("merchant")}
	var problems []string
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"since", &q.Since}, {"until", &q.Until}} {
		if s := v.Get(f.name); s != "" {
			t, err := parseFormTime(s)
			if err != nil {
				problems = append(problems, f.name+": "+err.Error())
			}
			*f.dst = t
		}
	}
	return q, problems
}

// parseFormTime reads a datetime-local value or RFC 3339, in UTC.
func parseFormTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time (YYYY-MM-DDTHH:MM, UTC)", s)
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, q *request) {
	query, problems := queryOf(r)
	v := r.URL.Query()
	d := &searchData{Query: query, Since: v.Get("since"), Until: v.Get("until"), ParseProblems: problems,
		Replayed: v.Get("replayed")}
	if len(problems) == 0 && (query.Text != "" || query.Merchant != "" || !query.Since.IsZero() || !query.Until.IsZero()) {
		res, err := s.opts.Store.Search(r.Context(), query)
		if err != nil {
			s.fail(w, err)
			return
		}
		d.Results, d.Searched = res, true
	}
	s.renderPage(w, q, "search", d)
}

// endpointAction pauses, resumes or checks an endpoint.
func (s *Server) endpointAction(w http.ResponseWriter, r *http.Request, q *request) {
	if s.opts.Control == nil {
		http.Error(w, "endpoint actions are not available in this console", http.StatusNotImplemented)
		return
	}
	m, e, action := r.PostFormValue("merchant"), r.PostFormValue("endpoint"), r.PostFormValue("action")
	if m == "" || e == "" {
		http.Error(w, "merchant and endpoint are required", http.StatusBadRequest)
		return
	}
	var msg string
	var err error
	switch action {
	case "pause", "resume":
		err = s.opts.Control.SetPaused(r.Context(), m, e, action == "pause")
		msg = fmt.Sprintf("%s/%s: %sd.", m, e, action)
	case "check":
		msg, err = s.opts.Control.Check(r.Context(), m, e)
		msg = fmt.Sprintf("%s/%s: %s", m, e, msg)
	default:
		http.Error(w, "unknown action", http.StatusBadRequest)
		return
	}
	if err != nil {
		msg = fmt.Sprintf("%s/%s: %s failed: %v", m, e, action, err)
	}
	http.Redirect(w, r, "/?msg="+url.QueryEscape(msg), http.StatusSeeOther)
}

func (s *Server) apiOverview(w http.ResponseWriter, r *http.Request) {
	d, err := s.overviewData(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"totals": d.Totals, "endpoints": d.Endpoints})
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	query, problems := queryOf(r)
	if len(problems) > 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": problems})
		return
	}
	res, err := s.opts.Store.Search(r.Context(), query)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"notifications": res})
}

func (s *Server) apiDeadLetters(w http.ResponseWriter, r *http.Request) {
	dq, err := deadQueryOf(r.URL.Query())
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error()})
		return
	}
	letters, err := s.opts.Store.DeadLetters(r.Context(), dq)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"dead_letters": letters})
}

// fail logs err and answers 500 without details.
func (s *Server) fail(w http.ResponseWriter, err error) {
	s.opts.Logger.Error("console: request failed", "err", err)
	http.Error(w, "internal error (see the console's log)", http.StatusInternalServerError)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
