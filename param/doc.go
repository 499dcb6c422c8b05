// Package param holds what the LCN and IPN catalogues share: strict
// decoding of JSON events with encoding/json v2 ([Decoder]), the
// description of one documented parameter ([Spec]), an ordered
// [Catalogue], validation problems with bounded reasons ([Error]), the
// platform's date and time-zone formats, and the derivation of MESSAGE_ID.
package param
