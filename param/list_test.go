package param

import (
	"slices"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

// boundedTags is a list of at most 3 tags.
type boundedTags []string

func (boundedTags) MaxItems() int { return 3 }

func (b *boundedTags) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return DecodeList(dec, (*[]string)(b), 3)
}

type boundedItem struct {
	Code string `json:"code"`
}

// boundedItems is a list of at most 2 items.
type boundedItems []boundedItem

func (boundedItems) MaxItems() int { return 2 }

func (b *boundedItems) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return DecodeList(dec, (*[]boundedItem)(b), 2)
}

type boundedDoc struct {
	Tags  boundedTags  `json:"tags,omitempty"`
	Items boundedItems `json:"items,omitempty"`
}

// TestBoundedList: a bounded list takes arrays up to its bound, each
// element held to the strict rules, and the report names an array too
// long, or the element at fault.
func TestBoundedList(t *testing.T) {
	d := NewDecoder(&boundedDoc{})
	for _, tc := range []struct {
		name, doc string
		tags      []string
		problems  []string // field reason
	}{
		{"at the bound", `{"tags":["a","b","c"]}`, []string{"a", "b", "c"}, nil},
		{"empty", `{"tags":[]}`, []string{}, nil},
		{"past the bound", `{"tags":["a","b","c","d","e"]}`, nil, []string{"tags too_long"}},
		{"bad element", `{"tags":["a",1]}`, nil, []string{"tags[1] bad_json"}},
		{"null element", `{"tags":["a",null]}`, nil, []string{"tags[1] malformed"}},
		{"null", `{"tags":null}`, nil, []string{"tags malformed"}},
		{"not an array", `{"tags":"a"}`, nil, []string{"tags bad_json"}},
		{"unknown member in an element", `{"items":[{"code":"x"},{"code":"y","extra":1}]}`, nil, []string{"items[1].<member 2> unknown_field"}},
		{"repeated member in an element", `{"items":[{"code":"x","code":"y"}]}`, nil, []string{"items[0].code bad_json"}},
		{"elements past the bound, one bad", `{"items":[{"code":"x"},{"code":"y"},{"bad":1}]}`, nil, []string{"items too_long"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v boundedDoc
			probs, _ := d.Decode([]byte(tc.doc), &v).List()
			var got []string
			for _, p := range probs {
				got = append(got, p.Field+" "+string(p.Reason))
			}
			if !slices.Equal(got, tc.problems) {
				t.Fatalf("problems %q, want %q", got, tc.problems)
			}
			if tc.problems == nil && (!slices.Equal(v.Tags, tc.tags) || (v.Tags == nil) != (tc.tags == nil)) {
				t.Errorf("tags %#v, want %#v", v.Tags, tc.tags)
			}
		})
	}
}

// FuzzBoundedList: the report finds problems in exactly the documents
// the decoder rejects.
func FuzzBoundedList(f *testing.F) {
	f.Add([]byte(`{"tags":["a","b","c","d"],"items":[{"code":"x"}]}`))
	f.Add([]byte(`{"items":[{"code":"x","code":"y"},{}]}`))
	f.Add([]byte(`{"tags":["a",null,"\u00e9"]}`))
	d := NewDecoder(&boundedDoc{})
	f.Fuzz(func(t *testing.T, data []byte) {
		var v boundedDoc
		probs, _ := d.Decode(data, &v).List()
		found, _ := d.Check(data).List()
		if (len(probs) > 0) != (len(found) > 0) {
			t.Fatalf("decoder finds %v, report %v", probs, found)
		}
	})
}
