module dev.fastembed/go

go 1.19
