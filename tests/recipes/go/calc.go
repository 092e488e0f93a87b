// Package calc is the Go recipe's package: `go test -exec tsemu-<arch>` runs its tests,
// cross-compiled, under tsemu (tests/recipes.test.ts).
package calc

// Add returns a + b.
func Add(a, b int) int { return a + b }

// Mul returns a * b.
func Mul(a, b int) int { return a * b }
