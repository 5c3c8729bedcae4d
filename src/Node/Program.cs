using AkkaExchange.Node.Hosting;

return NodeComposition.Run(args);
