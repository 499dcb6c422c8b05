package lcn

import (
	"github.com/lcngw/lcngw/param"
)

// kind labels this package's problems ("invalid lcn event").
const kind = "lcn"

// decoder decodes event documents strictly.
var decoder = param.NewDecoder(Event{})

// Decode parses one event document strictly: exactly one JSON object of
// schema lcngw.lcn.v1, no unknown, misspelled, duplicate or null members,
// valid UTF-8, RFC 3339 timestamps, at most param.MaxEventBytes. It reports
// every such problem at once but does not check the event's content: call
// Validate. Errors are *param.Error.
func Decode(data []byte) (*Event, error) {
	ev := new(Event)
	rep := decoder.Decode(data, ev)
	if rep == nil {
		if ev.Schema != SchemaVersion {
			return nil, param.Collect(kind, []param.Problem{schemaProblem(ev.Schema)})
		}
		return ev, nil
	}
	if rep.Schema != "" && rep.Schema != SchemaVersion {
		// another version: its other problems are consequences
		return nil, param.Collect(kind, []param.Problem{schemaProblem(rep.Schema)})
	}
	return nil, param.CollectMore(kind, rep.Problems, rep.More)
}

func schemaProblem(v string) param.Problem {
	detail := "missing; want " + SchemaVersion
	if v != "" {
		detail = "not supported; want " + SchemaVersion
	}
	return param.Problem{Field: "schema", Reason: param.ReasonSchemaVersion, Detail: detail}
}

// clip shortens s to at most n runes.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}
