// Package examples holds the sweep specifications that adamgap's
// documentation and commands use (small.yaml, phase.yaml,
// phase-quick.yaml), embedded so that package paper runs the very files a
// reader sees here. The folders below it are Go programs that reproduce the
// papers' experiments from the library.
package examples

import "embed"

// Specs holds every *.yaml file of this folder.
//
//go:embed *.yaml
var Specs embed.FS
