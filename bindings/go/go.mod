module zkinfer.local/bindings/go

go 1.19
