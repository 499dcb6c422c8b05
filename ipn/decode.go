package ipn

import (
	"fmt"

	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// decoder decodes event documents strictly.
var decoder = param.NewDecoder(&Event{})

// Decode parses one event strictly: unknown or misspelt members, duplicate
// members, null, invalid UTF-8, wrong JSON types, trailing data, more than
// param.MaxEventBytes and a schema other than lcngw.ipn.v1 are rejected
// with a *param.Error listing every problem found. It checks the shape only;
// Validate checks the content.
func Decode(data []byte) (*Event, error) {
	ev := new(Event)
	if rep := decoder.Decode(data, ev); rep != nil {
		if rep.Schema != "" && rep.Schema != SchemaV1 {
			return nil, decodeError(schemaProblem()) // another version: its members are not ours to judge
		}
		return nil, param.CollectMore(signer.KindIPN.String(), rep.Problems, rep.More)
	}
	if ev.Schema != SchemaV1 {
		return nil, decodeError(schemaProblem())
	}
	return ev, nil
}

func schemaProblem() param.Problem {
	return param.Problem{Field: "schema", Reason: param.ReasonSchemaVersion, Detail: fmt.Sprintf("must be %q", SchemaV1)}
}

func decodeError(p param.Problem) error {
	return &param.Error{Kind: signer.KindIPN.String(), Problems: []param.Problem{p}}
}
