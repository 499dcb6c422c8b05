package console

import (
	"fmt"
	"net/http"
	"net/url"
)

// deadData is what the dead-letter page shows.
type deadData struct {
	Query        DeadQuery
	Since, Until string
	Letters      []DeadLetter
	CanReplay    bool
	Message      string
}

func deadQueryOf(v url.Values) (DeadQuery, error) {
	q := DeadQuery{Merchant: v.Get("merchant")}
	var err error
	if s := v.Get("since"); s != "" {
		if q.Since, err = parseFormTime(s); err != nil {
			return q, err
		}
	}
	if s := v.Get("until"); s != "" {
		if q.Until, err = parseFormTime(s); err != nil {
			return q, err
		}
	}
	return q, nil
}

func (s *Server) deadLetters(w http.ResponseWriter, r *http.Request, q *request) {
	v := r.URL.Query()
	dq, err := deadQueryOf(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	letters, err := s.opts.Store.DeadLetters(r.Context(), dq)
	if err != nil {
		s.fail(w, err)
		return
	}
	s.renderPage(w, q, "dead", &deadData{Query: dq, Since: v.Get("since"), Until: v.Get("until"), Letters: letters,
		CanReplay: s.opts.Replayer != nil, Message: v.Get("msg")})
}

// replay replays one dead letter ("one"), the checked ones ("id"), or
// every one matching the filter ("filter" set).
func (s *Server) replay(w http.ResponseWriter, r *http.Request, q *request) {
	if s.opts.Replayer == nil {
		http.Error(w, "replay is not available in this console", http.StatusNotImplemented)
		return
	}
	req, back, err := replayRequestOf(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	n, err := s.opts.Replayer.Replay(r.Context(), req)
	if err != nil {
		s.fail(w, err)
		return
	}
	if len(req.Letters) > 0 {
		if err := s.opts.Store.MarkReplayed(r.Context(), req.Letters, s.opts.Now()); err != nil {
			s.fail(w, err)
			return
		}
	}
	s.opts.Logger.Info("console: dead letters replayed", "count", n)
	if back == "" {
		back = "/dead-letters?msg=" + url.QueryEscape(fmt.Sprintf("Replayed %d dead letter(s).", n))
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// replayRequestOf reads the replay form; back is where a single delivery
// replay goes next (its notification's attempts).
func replayRequestOf(r *http.Request) (ReplayRequest, string, error) {
	var req ReplayRequest
	if one := r.PostFormValue("one"); one != "" {
		id, err := ParseLetterID(one)
		if err != nil {
			return req, "", err
		}
		req.Letters = []LetterID{id}
		back := ""
		if mid := r.PostFormValue("message_id"); mid != "" {
			back = "/search?replayed=1&q=" + url.QueryEscape(mid)
		}
		return req, back, nil
	}
	if r.PostFormValue("filter") != "" {
		dq, err := deadQueryOf(r.PostForm)
		req.Merchant, req.Since, req.Until = dq.Merchant, dq.Since, dq.Until
		return req, "", err
	}
	for _, s := range r.PostForm["id"] {
		id, err := ParseLetterID(s)
		if err != nil {
			return req, "", err
		}
		req.Letters = append(req.Letters, id)
	}
	if len(req.Letters) == 0 {
		return req, "", fmt.Errorf("no dead letter selected")
	}
	return req, "", nil
}
