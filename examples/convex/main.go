// Command convex reproduces Theorem 4.2 of Zou et al. with package paper, as
// "adamgap reproduce convex" does (without writing files).
package main

import (
	"context"
	"fmt"

	"github.com/adamgap/adamgap/paper"
)

func main() {
	rep, err := paper.Convex(context.Background(), paper.DefaultConvex(), nil)
	fmt.Println(rep.Table(), "error:", err)
}
