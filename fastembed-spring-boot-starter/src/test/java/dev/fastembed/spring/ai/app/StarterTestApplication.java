package dev.fastembed.spring.ai.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application that has nothing but the starter, actuator and web on its class path. */
@SpringBootApplication
public class StarterTestApplication {
}
